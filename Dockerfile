FROM python:3.11-slim-bookworm
WORKDIR /app
COPY pyproject.toml README.md ./
COPY contracts ./contracts
COPY server ./server
COPY spatial ./spatial
COPY tiling ./tiling
RUN pip install --no-cache-dir .
ENV LAMINA_HOST=0.0.0.0 LAMINA_PORT=8000
EXPOSE 8000
CMD ["lamina", "serve"]
