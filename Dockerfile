# Builds on the same Node major the image runs on: code compiled for one Node and run on another is a
# class of bug this image does not need.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/bundle-cli.mjs ./scripts/
COPY src ./src
COPY profiles ./profiles
COPY seed ./seed
RUN npm run build && npm prune --omit=dev && find dist -name '*.map' -delete && rm -rf dist/bench

FROM node:20-bookworm-slim
# PORT or PATIENTS_SANDBOX_PORT (which wins) set the port; the HEALTHCHECK reads them the same way.
ENV NODE_ENV=production \
    PORT=8080 \
    PATIENTS_SANDBOX_HOST=0.0.0.0 \
    PATIENTS_SANDBOX_HEADLESS=true
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/profiles ./profiles
COPY --from=build --chown=node:node /app/seed ./seed
USER node
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "dist/healthcheck.js"]
# Exec form, node itself as the process: `docker stop` delivers SIGTERM to the sandbox (no npm or shell in between).
# The young generation is sized as the CLI's #! line sizes it (README, Design notes).
ENTRYPOINT ["node", "--max-semi-space-size=32", "dist/cli.js"]
