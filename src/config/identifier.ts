/** ClickHouse identifiers that reach SQL unquoted (database, tables) must match this. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
