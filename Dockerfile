# Production image: Node 20, the sources run through tsx (no separate build step to drift).
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY adapters ./adapters
COPY migrations ./migrations
COPY config ./config
COPY rules ./rules
COPY templates ./templates
COPY demo ./demo
COPY tsconfig.json ./
# The embedded database lives here when DATABASE_URL is not set (mount a volume to keep it).
ENV VIGIE_DATA_DIR=/data HOST=0.0.0.0 PORT=3000 LOG_FORMAT=json
VOLUME ["/data"]
EXPOSE 3000
USER node
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
ENTRYPOINT ["node", "bin/vigie.js"]
CMD ["start"]
