# syntax=docker/dockerfile:1

# --- check: full dependencies, a type-check of the whole tree, the bundle ---
FROM node:20-bookworm-slim AS check
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx tsc --noEmit -p . && npm run build

# --- runtime: production dependencies only ---
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=check /app/dist ./dist
COPY --from=check /app/migrations ./migrations
COPY --from=check /app/openapi ./openapi
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# DATABASE_URL is given at run time (docker run -e DATABASE_URL=postgres://…);
# without it the gateway keeps an embedded PGlite database under /data.
# What `npm start` runs once it has built dist/ (`npm run serve`), without npm in between.
CMD ["node", "--enable-source-maps", "dist/main.mjs"]
