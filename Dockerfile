# syntax=docker/dockerfile:1
# One image, three roles (see docker-compose.yml): migrate, web and workers.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# postinstall runs `prisma generate`, which needs the schema.
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1
RUN bin/osprey build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 HOST=0.0.0.0 PORT=3000 \
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
# A fixed, non-root uid (compose's `user:` and Kubernetes' runAsNonRoot check the number); the app's files are its own.
RUN groupadd --system --gid 10001 osprey && useradd --system --uid 10001 --gid osprey --home /app --shell /usr/sbin/nologin osprey
COPY --from=build --chown=10001:10001 /app /app
USER 10001:10001
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "node_modules/next/dist/bin/next", "start"]
