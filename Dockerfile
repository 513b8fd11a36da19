# The Linli Live app: pages, API and realtime on one port. See docker-compose.yml.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/package.json ./
COPY --from=build /app/server ./server
COPY --from=build /app/db ./db
COPY --from=build /app/media ./media
COPY --from=build /app/web/build ./web/build
COPY --from=build /app/web/package.json ./web/package.json
COPY --from=build /app/livekit.yaml ./livekit.yaml
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:3000/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# node itself with tsx's loader: one process, so SIGTERM reaches the app's graceful stop
CMD ["node", "--import", "tsx", "server/main.ts"]
