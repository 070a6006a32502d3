# One image shape for the three Node services (websocket-service, orders-api, web-client); each
# compose service picks its workspace with build args. Build context: the repository root.
# The build stage runs the same commands as CI: `npm ci`, then `npm run build`.
# NODE_VERSION is .env's, the version CI and the native run use too: docker-compose.yml passes it, and
# it has no default here so that no second copy can drift (by hand: docker build --build-arg
# NODE_VERSION="$(sed -n 's/^NODE_VERSION=//p' .env)" …). An ARG before the first FROM is usable in
# every FROM line (https://docs.docker.com/reference/dockerfile/#understand-how-arg-and-from-interact).
ARG NODE_VERSION

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /repo
COPY . .
RUN npm ci --ignore-scripts && npm run build

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
# The workspace to run: its folder, its package name, its entry point (relative to /app) and port.
ARG WORKSPACE_DIR
ARG WORKSPACE_NAME
ARG ENTRY
ARG PORT
ENV NODE_ENV=production ENTRY=${ENTRY}
WORKDIR /app
# The shared packages every service may use, and the workspace: manifests first, so the production
# install below is cached until a dependency changes.
COPY package.json package-lock.json ./
COPY packages/protocol/package.json packages/protocol/
COPY packages/auth/package.json packages/auth/
COPY packages/service-kit/package.json packages/service-kit/
COPY ${WORKSPACE_DIR}/package.json ${WORKSPACE_DIR}/
RUN npm ci --omit=dev --ignore-scripts --workspace=${WORKSPACE_NAME} && npm cache clean --force
COPY --from=build /repo/packages/protocol/dist packages/protocol/dist
COPY --from=build /repo/packages/auth/dist packages/auth/dist
COPY --from=build /repo/packages/service-kit/dist packages/service-kit/dist
COPY --from=build /repo/${WORKSPACE_DIR}/dist ${WORKSPACE_DIR}/dist
# The websocket-service's checkpoint directory (CHECKPOINT_DIR in docker-compose.yml), owned by the
# unprivileged user: a named volume mounted there starts with this owner.
RUN mkdir -p /var/lib/websocket-service/checkpoint && chown node:node /var/lib/websocket-service/checkpoint
# The official node images have an unprivileged `node` user.
USER node
EXPOSE ${PORT}
# The exec form cannot expand a variable, and a shell would not pass SIGTERM on: `exec` makes node
# the shell's replacement, so it is PID 1's only process and gets the signal itself.
# kafkajs 2.2.4 schedules a timer at a negative delay, which Node 24 reports as a TimeoutNegativeWarning
# on every connection (kafkajs issue #1751, open upstream; the delay becomes 1 ms, as kafkajs means).
CMD ["sh", "-c", "exec node --disable-warning=TimeoutNegativeWarning \"$ENTRY\""]
