"use client";

import { useState } from "react";
import { useCan } from "../auth/viewer";
import { useChannelsQuery } from "../hooks/use-channels-query";
import { Code, EmptyState, ErrorState, SkeletonRows } from "../ui/states";
import { ChannelForm } from "./channel-form";
import { ChannelRow } from "./channel-row";

export function ChannelsSection() {
  const channels = useChannelsQuery();
  const [adding, setAdding] = useState(false);
  const admin = useCan("admin");
  return (
    <section aria-labelledby="channels-heading" className="mt-8">
      <div className="mb-3 flex items-center justify-between">
        <h2 id="channels-heading" className="text-sm font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
          Notification channels
        </h2>
        {admin && !adding && (
          <button type="button" className="btn-primary" onClick={() => setAdding(true)}>
            Add channel
          </button>
        )}
      </div>
      {adding && (
        <div className="mb-4">
          <ChannelForm onDone={() => setAdding(false)} />
        </div>
      )}
      {channels.isPending ? (
        <SkeletonRows rows={2} />
      ) : channels.isError ? (
        <ErrorState error={channels.error} />
      ) : channels.data.length === 0 ? (
        <EmptyState title="No notification channels">
          <p>
            Alerts reach Slack, e-mail, a signed webhook, PagerDuty or Amazon SNS through channels. Add one with the button above, or from a terminal with{" "}
            <Code>bin/osprey channels add --name ops --kind slack --webhook-url -</Code>.
          </p>
        </EmptyState>
      ) : (
        <ul className="card divide-y divide-zinc-200 dark:divide-zinc-800" data-testid="channels">
          {channels.data.map((c) => (
            <ChannelRow key={c.id} channel={c} />
          ))}
        </ul>
      )}
    </section>
  );
}
