# The token server, built once and started with plain node (no TypeScript compiled at run time).
# test/server/production-start.test.ts runs this file's commands, as written here, outside Docker.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8787
# The server's libraries are the repository's devDependencies (npm install anam-persona brings only the
# widget's), so the run stage takes the build stage's node_modules as they are.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/dist-server ./dist-server
COPY demo ./demo
USER node
EXPOSE 8787
STOPSIGNAL SIGTERM
CMD ["node", "dist-server/main.js"]
