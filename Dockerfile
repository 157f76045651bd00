# syntax=docker/dockerfile:1
# Livegate gateway image: production dependencies only, runs as the non-root
# `node` user, health-checked on /readyz.
#   docker build -t livegate .
#   docker run -p 3000:3000 -e JWT_SECRET=... -v livegate-data:/data livegate
# Without DATABASE_URL it uses embedded PostgreSQL (PGlite) under /data.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
# The workspace manifests are needed for `npm ci` to accept the lockfile;
# the client packages themselves are not part of the server image.
COPY package.json package-lock.json ./
COPY packages/client/package.json packages/client/
COPY packages/react/package.json packages/react/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY src ./src
COPY dashboard ./dashboard
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM drains sockets (server:shutdown) before the process exits.
STOPSIGNAL SIGTERM
CMD ["node", "bin/livegate.js", "start"]
