# Werkbaar in a container: the wheel built from this source, installed into python:3.11-slim,
# served by `werkbaar run` as a non-root user with the database on the volume /data.
# The same wheel and the same entry command are tested without Docker in
# tests/test_wheel_install.py; tests/test_deploy.py checks this file against the code.
# Production behind Caddy with TLS: compose.yaml and the README, "Run in production (compose)".

FROM python:3.11-slim AS build
WORKDIR /src
COPY . .
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /dist .

FROM python:3.11-slim
# fonts-dejavu-core: the font the PDF reports and the code slips embed
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /dist/ /tmp/dist/
RUN pip install --no-cache-dir /tmp/dist/werkbaar-*.whl && rm -rf /tmp/dist
RUN useradd --system --create-home --uid 10001 werkbaar \
    && mkdir /data && chown werkbaar:werkbaar /data
# No file watcher: .streamlit/config.toml (in the wheel) turns it off
ENV WERKBAAR_DB=/data/werkbaar.db \
    PYTHONUNBUFFERED=1
VOLUME /data
USER werkbaar
WORKDIR /home/werkbaar
EXPOSE 8501
# slim has no curl: Python's urllib asks Streamlit's health endpoint
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() != b'ok')"]
# werkbaar run applies pending migrations, then becomes the Streamlit server (same pid), so
# `docker stop` (SIGTERM) stops the server itself
CMD ["werkbaar", "run", "--address", "0.0.0.0", "--port", "8501"]
