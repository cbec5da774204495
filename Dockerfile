# monops in a container, for CIs other than GitHub Actions and GitLab (and for people):
#
#   docker build -t monops .
#   docker run --rm -v "$PWD:/catalog" monops lint
#   docker run --rm -v "$PWD:/catalog" monops diff origin/main HEAD --out out/report.md
#
# It installs the monops of this checkout with every dependency pinned by hash, as the GitHub
# Action does, and runs as an unprivileged user. Pin the base image by digest in your own
# registry if your CI needs byte-for-byte rebuilds.
FROM python:3.11-slim

# git: monops reads revisions from git objects (diff, lint --changed-since).
RUN apt-get update \
    && apt-get install -y --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/*

COPY . /tmp/monops-src
RUN python3 -m venv /opt/monops \
    && /opt/monops/bin/pip install --no-cache-dir --disable-pip-version-check \
        --require-hashes --no-deps -r /tmp/monops-src/monops_lint/init_template/ci/requirements.txt \
    && /opt/monops/bin/pip install --no-cache-dir --disable-pip-version-check \
        --no-deps --no-build-isolation --no-index /tmp/monops-src \
    && rm -rf /tmp/monops-src

# The catalog is mounted from the host and owned by another user id: git would refuse to
# read it ("dubious ownership") though monops only reads.
RUN git config --system --add safe.directory /catalog \
    && useradd --create-home --uid 10001 monops

ENV PATH=/opt/monops/bin:$PATH \
    MONOPS_CACHE_DIR=/home/monops/.cache/monops
USER monops
WORKDIR /catalog
ENTRYPOINT ["monops"]
CMD ["lint"]
