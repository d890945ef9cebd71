# mcp-host as a Streamable HTTP service. Multi-stage: build with dev dependencies, run with production ones only.
# docker build -t mcp-host . && docker run -p 8080:8080 -e MCP_HOST_TOKEN=... mcp-host

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# npm install honours the lock (npm ci under npm 11 wants other platforms' optional packages listed; see .ci/run).
RUN npm install --no-audit --no-fund --ignore-scripts
COPY tsconfig.json ./
COPY scripts ./scripts
COPY config ./config
COPY core ./core
COPY plugins ./plugins
RUN node scripts/build.mjs && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    MCP_HOST_CONFIG=/etc/mcp-host/plugins.json
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/config ./config
COPY plugins.json /etc/mcp-host/plugins.json
# The node image ships an unprivileged "node" user (uid 1000).
USER node
EXPOSE 8080
# Beyond loopback the daemon refuses to start without a bearer token: pass MCP_HOST_TOKEN (a Secret in k8s).
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "dist/cli/mcp-host.js"]
CMD ["serve", "--http", "0.0.0.0:8080", "--config", "/etc/mcp-host/plugins.json"]
