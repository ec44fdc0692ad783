# Thresholds: the service in a container. Build: docker build -t thresholds .
# Run (SQLite in a volume; see README "Deploying"):
#   docker run -p 3000:3000 -v thresholds-data:/data --env-file thresholds.env thresholds
# Node 20 on Debian (glibc): better-sqlite3's prebuilt binary fits; the build tools are there in
# case it must compile.

# --- 1. build: every dependency, then the TypeScript build ---
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
COPY scripts ./scripts
RUN npm run build

# --- 2. deps: the production dependencies only ---
FROM node:20-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# --- 3. runtime: no compiler, no dev dependencies, not root ---
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    LOG_FORMAT=json \
    SQLITE_PATH=/data/thresholds.sqlite \
    BACKUP_DIR=/data/backups \
    MAIL_SPOOL_DIR=/data/mail
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --chown=root:root package.json ./
COPY --chown=root:root views ./views
RUN mkdir -p /data && chown node:node /data
# The image's own unprivileged user (uid 1000): the code is root's and read-only to it; only /data is its.
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM: the service finishes requests and the mail in flight, then exits (SHUTDOWN_TIMEOUT_MS);
# give it time: docker stop -t 45.
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]
