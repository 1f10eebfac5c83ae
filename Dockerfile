# Consentry in a container. Not exercised by this project's build (its machines have no container engine): it is
# written for users who have one. Build the runnable jar first, then the image, from the repository's root:
#   ./consentry build && docker build -t consentry .
#   docker run --rm -p 8443:8443 -v consentry-data:/data consentry
# The data dir (the store, the local CA, ca.pem to trust) is the volume /data; the server runs as a user without
# privileges and listens on every interface of the container, publishing its URLs as https://localhost:8443.
FROM eclipse-temurin:25-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin consentry \
    && mkdir -p /data /opt/consentry && chown consentry /data
COPY cli/target/dist/consentry.jar cli/target/dist/build-commit /opt/consentry/
USER consentry
VOLUME /data
EXPOSE 8443
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
    CMD curl -fsS --cacert /data/ca.pem https://localhost:8443/consentry/health || exit 1
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-Xmx256m", "-jar", "/opt/consentry/consentry.jar"]
CMD ["serve", "--data-dir", "/data", "--host", "0.0.0.0", "--port", "8443", "--public-base-url", "https://localhost:8443"]
