# Werkbaar in a container: the wheel built from this source, installed into python:3.11-slim,
# served by `werkbaar run` as a non-root user with the database on the volume /data.
# The same wheel and the same entry command are tested without Docker in
# tests/test_wheel_install.py; tests/test_deploy.py checks this file against the code.
# Production behind Caddy with TLS: compose.yaml and the README, "Run in production (compose)".
#
# Reproducible: the base image is pinned by digest (the tag beside it is only a reminder; the
# digest is what is pulled), and every Python package comes from a lock file with hashes
# (requirements.lock, requirements-build.lock), so two builds a month apart install the same
# files. To move to a newer base: `docker buildx imagetools inspect python:3.11-slim` shows the
# tag's current digest; update it here and rebuild.

FROM python:3.11-slim@sha256:90744cff8f32887f075c47d747a173ff333e9e98801667af93c357fa9f5e28ff AS build
WORKDIR /src
COPY requirements-build.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements-build.lock
COPY . .
RUN pip wheel --no-cache-dir --no-deps --no-build-isolation --wheel-dir /dist .

FROM python:3.11-slim@sha256:90744cff8f32887f075c47d747a173ff333e9e98801667af93c357fa9f5e28ff
# fonts-dejavu-core: the font the PDF reports and the code slips embed (from the pinned base's
# Debian release; its version follows that release's updates)
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.lock /tmp/requirements.lock
RUN pip install --no-cache-dir --require-hashes -r /tmp/requirements.lock \
    && rm /tmp/requirements.lock
COPY --from=build /dist/ /tmp/dist/
# --no-deps: everything it needs came from the lock above
RUN pip install --no-cache-dir --no-deps /tmp/dist/werkbaar-*.whl && rm -rf /tmp/dist
RUN useradd --system --create-home --uid 10001 werkbaar \
    && mkdir /data && chown werkbaar:werkbaar /data
# No file watcher: .streamlit/config.toml (in the wheel) turns it off. TZ: the users' clock
# (the code decides dates in Europe/Brussels whatever TZ says: assessment/clock.py).
ENV WERKBAAR_DB=/data/werkbaar.db \
    TZ=Europe/Brussels \
    PYTHONUNBUFFERED=1
VOLUME /data
USER werkbaar
WORKDIR /home/werkbaar
EXPOSE 8501
# slim has no curl: Python's urllib asks Streamlit's health endpoint
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() != b'ok')"]
# werkbaar run applies pending migrations, then becomes the Streamlit server (same pid), so
# `docker stop` (SIGTERM) stops the server itself; it closes its connections, logs `shutdown`
# and exits (compose gives it 30 s: stop_grace_period)
CMD ["werkbaar", "run", "--address", "0.0.0.0", "--port", "8501"]
