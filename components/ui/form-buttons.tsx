/** A form's submit button (its label while pending) and Cancel. */
export function FormButtons({ pending, label, pendingLabel, onCancel, className = "md:col-span-2" }: { pending: boolean; label: string; pendingLabel: string; onCancel: () => void; className?: string }) {
  return (
    <div className={`flex gap-2 ${className}`}>
      <button type="submit" className="btn-primary" disabled={pending}>
        {pending ? pendingLabel : label}
      </button>
      <button type="button" className="btn" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
