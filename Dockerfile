# Saylau: slim Python, non-root, catalogues compiled at build, database on a volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATABASE_PATH=/data/saylau.db \
    SAYLAU_MODEL_CACHE=/app/model-cache

WORKDIR /app

# Dependencies first (cached while only the code changes), read from pyproject.toml.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY bot ./bot
COPY handlers ./handlers
COPY content ./content
COPY locales ./locales

# A .po without its .mo fails at load: compile now, as root, so run time never writes here.
# Train the topic model once at build (one question through the CLI), build the city index and
# matplotlib's font cache (one small chart), all in SAYLAU_MODEL_CACHE, so the container's first
# start loads them instead of building; the cache stays writable for models of edited FAQs.
RUN python -c "from bot.i18n import compile_catalogs; compile_catalogs(force=True)" \
    && DATABASE_PATH=/tmp/warm.db python -m bot ask "когда выборы" > /dev/null \
    && python -c "from bot.abroad import gazetteer; gazetteer.warm_up()" \
    && python -c "from bot import charts; charts.bars_png('warm-up', [('a', 1)])" \
    && rm -f /tmp/warm.db* \
    && useradd --system --uid 10001 --home-dir /nonexistent --shell /usr/sbin/nologin saylau \
    && mkdir -p /data && chown saylau /data && chown -R saylau /app/model-cache

USER saylau
VOLUME ["/data"]
# Only used in webhook mode (WEBHOOK_URL set); polling needs no open port.
EXPOSE 8080

# With BOT_TOKEN: Telegram. Without: the local console (run with `docker run -it`).
CMD ["python", "-m", "bot"]
