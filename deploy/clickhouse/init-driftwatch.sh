#!/bin/bash
# Runs once, when the ClickHouse container first starts with an empty data directory: a user
# for driftwatch that may read the traces and nothing else there, and own its rollups database;
# and a user for Grafana's trace view that may only read the traces.
set -euo pipefail
clickhouse client -n <<SQL
CREATE DATABASE IF NOT EXISTS otel;
CREATE DATABASE IF NOT EXISTS driftwatch_rollups;
CREATE USER IF NOT EXISTS driftwatch IDENTIFIED WITH sha256_password BY '${DRIFTWATCH_CLICKHOUSE_PASSWORD}';
GRANT SELECT ON otel.* TO driftwatch;
GRANT SELECT, INSERT, CREATE DATABASE, CREATE TABLE, DROP TABLE, ALTER DELETE ON driftwatch_rollups.* TO driftwatch;
GRANT SELECT ON system.settings TO driftwatch;
CREATE USER IF NOT EXISTS grafana IDENTIFIED WITH sha256_password BY '${GRAFANA_CLICKHOUSE_PASSWORD}';
GRANT SELECT ON otel.* TO grafana;
SQL
