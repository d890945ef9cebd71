/**
 * How values come out of PostgreSQL: dates and times as the server's text (no time-zone shifts in
 * JavaScript), bytea as \x hex, 64-bit integers and numerics as strings (no precision loss); the rest
 * as pg parses them. Also names for the common type OIDs so results carry column types without a lookup.
 */
import pg from 'pg';

const RAW_TEXT = new Set([1082, 1083, 1114, 1184, 1266, 1186, 17]); // date, time, timestamp(tz), timetz, interval, bytea

export const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (RAW_TEXT.has(oid)) return (value: string) => value;
    return pg.types.getTypeParser(oid, (format ?? 'text') as 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

const NAMES: Record<number, string> = {
  16: 'bool', 17: 'bytea', 18: 'char', 19: 'name', 20: 'int8', 21: 'int2', 23: 'int4', 24: 'regproc', 25: 'text', 26: 'oid', 114: 'json',
  142: 'xml', 700: 'float4', 701: 'float8', 790: 'money', 869: 'inet', 650: 'cidr', 829: 'macaddr', 1042: 'bpchar', 1043: 'varchar',
  1082: 'date', 1083: 'time', 1114: 'timestamp', 1184: 'timestamptz', 1186: 'interval', 1266: 'timetz', 1560: 'bit', 1562: 'varbit',
  1700: 'numeric', 2205: 'regclass', 2950: 'uuid', 3802: 'jsonb', 3614: 'tsvector', 3615: 'tsquery', 2249: 'record', 705: 'unknown',
  1000: 'bool[]', 1001: 'bytea[]', 1005: 'int2[]', 1007: 'int4[]', 1016: 'int8[]', 1009: 'text[]', 1015: 'varchar[]', 1021: 'float4[]',
  1022: 'float8[]', 1231: 'numeric[]', 2951: 'uuid[]', 3807: 'jsonb[]', 199: 'json[]', 1115: 'timestamp[]', 1185: 'timestamptz[]', 1182: 'date[]',
  3904: 'int4range', 3926: 'int8range', 3906: 'numrange', 3908: 'tsrange', 3910: 'tstzrange', 3912: 'daterange', 1028: 'oid[]', 1003: 'name[]',
};

export function typeName(oid: number): string | undefined {
  return NAMES[oid];
}
