# Newsdesk: the bot, its language model and the bundled archive. See the README's "Docker" section.

# ---- build: a virtual environment with the pinned dependencies and Newsdesk itself --------------------------
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
COPY requirements-pip.lock requirements.lock /tmp/
# The locks pin every package by hash, pip itself and the spaCy model included: nothing is downloaded at run time.
RUN /opt/venv/bin/pip install --no-cache-dir --require-hashes -r /tmp/requirements-pip.lock \
    && /opt/venv/bin/pip install --no-cache-dir --require-hashes -r /tmp/requirements.lock
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY cogs ./cogs
RUN /opt/venv/bin/pip install --no-cache-dir --no-deps . \
    && /opt/venv/bin/pip uninstall --yes pip

# ---- run: the slim base, the environment (without pip), a user of its own; no compiler, no build files --------
FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/opt/venv/bin:$PATH \
    DATABASE_PATH=/data/newsdesk.db \
    ARCHIVE_DIR=/archive \
    HEALTH_FILE=/tmp/newsdesk-health.json
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin newsdesk \
    && mkdir /data \
    && chown newsdesk:newsdesk /data
COPY --from=build /opt/venv /opt/venv
COPY seeds /archive
USER 10001:10001
WORKDIR /home/newsdesk
VOLUME /data
# Healthy only while the bot is connected to Discord and its event loop keeps reporting (see `newsdesk health`).
HEALTHCHECK --interval=30s --timeout=10s --start-period=120s --retries=3 CMD ["newsdesk", "health"]
# `newsdesk run` opens (and migrates) the database, ingests ARCHIVE_DIR in the background and starts the bot.
# Any other newsdesk command can be given instead: docker compose run --rm bot newsdesk actor McGurk
CMD ["newsdesk", "run"]
