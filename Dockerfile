# One image for web, worker and beat (docker-compose.yml picks the command).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
RUN useradd --create-home --uid 1000 responder
COPY pyproject.toml README.md ./
COPY responder ./responder
COPY workers ./workers
COPY templates ./templates
COPY migrations ./migrations
RUN pip install -e . && mkdir -p /app/instance && chown responder /app/instance
USER responder
EXPOSE 8000
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--worker-class", "gthread", "--workers", "2", "--threads", "8", "responder.wsgi:app"]
