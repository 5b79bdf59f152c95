# syntax=docker/dockerfile:1
# Switchboard's image: the production build (docs/production.md) in two stages. The commands are
# the documented ones; scripts/containers.test.ts keeps them so.

# Build: every dependency, then `npm run build` (compiled code, its content, the prebuilt console).
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Install scripts stay off, as npm 11 leaves them where the tree is developed and tested.
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build

# Runtime: production dependencies and dist/ only, as the unprivileged `node` user.
FROM node:20-slim
ENV NODE_ENV=production PORT=3000 DATA_DIR=/app/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force && mkdir data && chown node:node data
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
# Ready means the database and Redis answer (server/health.ts); the slim image has no curl, Node has fetch.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# `npm run start:prod` without npm in between, so SIGTERM reaches Node (a graceful stop).
CMD ["node", "--enable-source-maps", "dist/server/main.js"]
