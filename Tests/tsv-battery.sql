-- TSV battery for Scripts/compare-tsv: every block is run with `mariadb --batch --execute BLOCK`
-- and with `mysqlwire --format tsv --execute BLOCK` against the same server; stdout must be
-- byte-identical, and both must succeed or both fail.
--
-- Format: blocks are separated by lines consisting of exactly `-- next`. A block may span several
-- lines and hold several statements separated by `;` (sent as ONE --execute argument). Lines
-- starting with `--` are comments and are removed from the block before it is sent; empty blocks
-- are skipped. A block must succeed with the real client, unless it contains the comment line
-- `-- expect-error` (then the real client must fail; mysqlwire must fail too). Blocks run in file order, each on a fresh connection, so the setup block must come
-- first. Avoid anything non-deterministic (NOW(), RAND(), CURRENT_TIMESTAMP defaults ...).
-- The file is UTF-8; some identifiers below contain a literal TAB character on purpose.

-- ---------------------------------------------------------------- setup (no output expected)
SET SESSION sql_mode = '';
DROP TABLE IF EXISTS tsv_types;
CREATE TABLE tsv_types (
  id    INT NOT NULL PRIMARY KEY,
  ti    TINYINT,            tiu  TINYINT UNSIGNED,
  si    SMALLINT,           siu  SMALLINT UNSIGNED,
  mi    MEDIUMINT,          miu  MEDIUMINT UNSIGNED,
  i     INT,                iu   INT UNSIGNED,
  bi    BIGINT,             biu  BIGINT UNSIGNED,
  zf    INT(6) ZEROFILL,
  f     FLOAT,              d    DOUBLE,
  dec65 DECIMAL(65,30),     dec2 DECIMAL(5,2),
  dt    DATE,               dtm  DATETIME(6),       dtm0 DATETIME,
  ts    TIMESTAMP NULL DEFAULT NULL,                ts6  TIMESTAMP(6) NULL DEFAULT NULL,
  tm    TIME(6),            tm0  TIME,              y    YEAR,
  b1    BIT(1),             b5   BIT(5),            b64  BIT(64),
  c     CHAR(10),           vc   VARCHAR(200),      tx   TEXT,
  bl    BLOB,               bn   BINARY(4),         vb   VARBINARY(32),
  e     ENUM('a','b','c d',''),
  s     SET('x','y','z'),
  j     JSON
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO tsv_types VALUES
-- 1: minimum values
(1, -128, 0, -32768, 0, -8388608, 0, -2147483648, 0, -9223372036854775808, 0,
 0, -3.40282e38, -1.7976931348623157e308,
 -99999999999999999999999999999999999.999999999999999999999999999999, -999.99,
 '1000-01-01', '1000-01-01 00:00:00.000000', '1000-01-01 00:00:00',
 '1970-01-01 00:00:01', '1970-01-01 00:00:01.000001',
 '-838:59:59.000000', '-838:59:59', 1901,
 b'0', b'00000', b'0',
 'a', 'plain', 'text', X'', X'00000000', X'',
 'a', '', '[]'),
-- 2: maximum values
(2, 127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295,
 9223372036854775807, 18446744073709551615,
 999999, 3.40282e38, 1.7976931348623157e308,
 99999999999999999999999999999999999.999999999999999999999999999999, 999.99,
 '9999-12-31', '9999-12-31 23:59:59.999999', '9999-12-31 23:59:59',
 '2038-01-19 03:14:07', '2038-01-19 03:14:07.999999',
 '838:59:59.000000', '838:59:59', 2155,
 b'1', b'11111', b'1111111111111111111111111111111111111111111111111111111111111111',
 'zzzzzzzzzz', REPEAT('v', 200), REPEAT('t', 1000), REPEAT(X'FF', 300), X'FFFFFFFF', REPEAT(X'EE', 32),
 'c d', 'x,y,z', '{"k": [1, 2.5, "s", null, true, {"n": -0.0}]}'),
-- 3: all NULL
(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
-- 4: zeros, empty strings, zero dates (sql_mode = '' allows them)
(4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
 0, 0, 0, 0, 0,
 '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00',
 '0000-00-00 00:00:00', '0000-00-00 00:00:00.000000',
 '00:00:00', '00:00:00', 0000,
 b'0', b'0', b'0',
 '', '', '', '', X'', '',
 '', '', '""'),
-- 5: tricky bytes: NUL, TAB, LF, CR, backslash, control characters, invalid UTF-8, unicode
(5, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1,
 42, 1.5, 0.1, 0.000000000000000000000000000001, -0.01,
 '2024-02-29', '2024-02-29 12:34:56.000001', '2024-02-29 12:34:56',
 '2024-02-29 12:34:56', '2024-02-29 12:34:56.5',
 '-00:00:00.000001', '-01:02:03', 2024,
 b'1', b'01001', X'00090A5C0D22275C',
 'ü\tß', 'héllo wörld — 日本語 😀 𝄞 🇩🇪', CONCAT('line1\nline2\r\nline3\\end\ttab', CHAR(0), 'nul', CHAR(1,2,27,127)),
 CONCAT(X'00', X'09', X'0A', X'0D', X'5C', X'FF', X'80', X'C3', X'28', 'NULL', X'00'),
 X'5C000A09', X'E9',
 'b', 'x,z', '{"esc": "tab\\tnl\\n\\u0000 quote\\" bs\\\\", "uni": "é😀"}'),
-- 6: time values beyond 24 h and fractional edge cases, odd floats
(6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
 7, 1e-30, 1e300, 1.5, 0.5,
 '2000-01-01', '2000-01-01 00:00:00.1', '2000-01-01 00:00:00',
 '2000-01-01 00:00:00', '2000-01-01 00:00:00.123',
 '100:00:00.5', '25:00:00', 1970,
 b'1', b'10000', b'1000000000000000000000000000000000000000000000000000000000000000',
 'NULL', 'NULL', '\\N', '\\N', X'4E554C4C', 'NULL',
 'c d', 'y', 'null');
-- next
-- ---------------------------------------------------------------- the whole table
SELECT * FROM tsv_types ORDER BY id
-- next
SELECT id, ti, tiu, si, siu, mi, miu, i, iu, bi, biu, zf FROM tsv_types ORDER BY id
-- next
SELECT id, f, d, dec65, dec2, f * 2, d / 3, dec65 + 1, -dec2 FROM tsv_types ORDER BY id
-- next
SELECT id, dt, dtm, dtm0, ts, ts6, tm, tm0, y FROM tsv_types ORDER BY id
-- next
SELECT id, b1, b5, b64, b64 + 0, HEX(b64), BIN(b5) FROM tsv_types ORDER BY id
-- next
SELECT id, c, vc, tx, bl, bn, vb, HEX(bl), LENGTH(tx), CHAR_LENGTH(vc) FROM tsv_types ORDER BY id
-- next
SELECT id, e, s, j, e + 0, s + 0, JSON_TYPE(j) FROM tsv_types ORDER BY id
-- next
-- ---------------------------------------------------------------- empty result: prints nothing at all
SELECT * FROM tsv_types WHERE 1=0
-- next
SELECT id FROM tsv_types WHERE id > 100; SELECT 'after empty' AS x
-- next
-- ---------------------------------------------------------------- several statements in one --execute
SELECT 1; SELECT 'a' AS x
-- next
SELECT 1 AS one;
SELECT 2 AS two, 'b' AS bee;
DO 1;
SET @v = 'var';
SELECT @v;
SELECT id FROM tsv_types ORDER BY id DESC LIMIT 2
-- next
CREATE TEMPORARY TABLE tmp_t (a INT); INSERT INTO tmp_t VALUES (1), (2); UPDATE tmp_t SET a = a + 1; SELECT * FROM tmp_t ORDER BY a; DELETE FROM tmp_t
-- next
-- ---------------------------------------------------------------- literal expressions
SELECT 1.5, -0.0, 1e300, NULL, ''
-- next
SELECT 0, -1, 18446744073709551615, -9223372036854775808, 1e-300, 2.5e10, 0.1 + 0.2, 1/3, 10 DIV 3, 1 = 1, 1 IS NULL
-- next
SELECT 'a\tb', 'a\nb', 'a\\b', 'a\rb', 'a\0b', 'a''b', "a\"b", '\Z', CHAR(0), CHAR(9, 10, 13, 92)
-- next
SELECT X'00', X'FF', X'C328', _latin1 X'E9', CONVERT('é' USING latin1), _binary 'é', UNHEX('5C6E')
-- next
SELECT 'é', '中文', '😀', '𝄞', '🇩🇪', 'é', 'ﬁ', '\\N', 'NULL', 'null', ' ', '  leading and trailing  '
-- next
SELECT NULL, NULL AS n, CAST(NULL AS CHAR), CAST(NULL AS SIGNED), IFNULL(NULL, 'x'), COALESCE(NULL, NULL)
-- next
SELECT DATE '2024-01-02', TIME '-12:00:00.5', TIMESTAMP '2024-01-02 03:04:05.678', CAST('123:45:6' AS TIME(3)), MAKETIME(-838, 59, 59), SEC_TO_TIME(-1), YEAR('2024-05-05')
-- next
SELECT CAST(1.5 AS DOUBLE), CAST(1.5 AS FLOAT), CAST(-1 AS UNSIGNED), CAST('12abc' AS SIGNED), CAST(3.14159 AS DECIMAL(10,2)), 1e308 * 0.5, -1e-320, ROUND(2.5), TRUNCATE(-1.999, 1)
-- next
SELECT JSON_OBJECT('a', 1, 'b', 'x\ty', 'c', NULL), JSON_ARRAY(1, '2', NULL, 'é'), JSON_EXTRACT('{"a": [1, 2]}', '$.a')
-- next
SELECT COUNT(*), SUM(i), AVG(d), MIN(dt), MAX(vc), GROUP_CONCAT(id ORDER BY id SEPARATOR '\t') FROM tsv_types
-- next
-- ---------------------------------------------------------------- column names with special characters
-- (the mariadb client prints column names raw, without escaping; the server itself turns
--  characters outside the BMP into '?' and NUL into '\x00' in column names)
SELECT 1 AS `a b`, 2 AS `tab	tab`, 3 AS `back\slash`, 4 AS `é中文`, 5 AS ```tick```, 6 AS "dq""x", 7 AS `NULL`, 8 AS `x,y;z`
-- next
SELECT 1 AS `new
line`, 2 AS `cr\rx`, 3 AS `a
b	c\d`
-- next
SELECT 1 AS ``, '😀', 'a\0b', 'tab\tname'
-- next
SELECT id AS `Id`, id AS `id`, id FROM tsv_types WHERE id = 1
-- next
-- ---------------------------------------------------------------- FLOAT and DOUBLE text forms
-- Where the server switches notation (1e-15 fixed, 1e-16 and 1e15 exponent), FLOAT's 6 digits
-- with ties to even, fixed decimals (shortest digits when they fit), ZEROFILL padding.
DROP TABLE IF EXISTS tsv_floats;
CREATE TABLE tsv_floats (id INT PRIMARY KEY, d DOUBLE, f FLOAT, d4 DOUBLE(20,4), f2 FLOAT(7,2),
  dz DOUBLE ZEROFILL, fz FLOAT(7,2) ZEROFILL, fz0 FLOAT ZEROFILL);
INSERT INTO tsv_floats VALUES
(1, 1e-5, 1e-5, 1.5, 1.5, 1.5, 1.5, 1.5),
(2, 1e15, 1e15, -294155678976421.9, 3.125, 1e-5, 12345.67, 1e20),
(3, 9007199254740992, 1234565, 2.00005, -3.135, 1e15, 0.125, 1234575),
(4, 1e-15, 1.2345678, -0.00004, 0.005, 0, 0, 0),
(5, 1e-16, 1.4e-45, 1e15, 10000, 123456789012345678, 99.99, 3.4e38),
(6, 1.2345678901234567e-15, -1.2345678e-15, 0.0625, 0.125, 2.2250738585072014e-308, 1, 1.17549e-38),
(7, 1234567890123456.7, 0.000123456789, -1, -1, 5e-324, 2, 8388608.5),
(8, -1.5e15, -1.5e15, 0.1, 0.1, 0.1, 0.1, 0.1);
SELECT * FROM tsv_floats ORDER BY id;
SELECT id, ROUND(d, 3), TRUNCATE(d * 1e16, 2), d / 3, f * 2, ROUND(f2, 1), d4 + 0, CAST(d AS DECIMAL(30,20)) FROM tsv_floats ORDER BY id;
DROP TABLE tsv_floats
-- next
-- ---------------------------------------------------------------- metadata statements
SHOW COLUMNS FROM tsv_types
-- next
SHOW CREATE TABLE tsv_types
-- next
SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, IS_NULLABLE
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'tsv_types' ORDER BY ORDINAL_POSITION
-- next
-- ---------------------------------------------------------------- many rows (streaming, buffer flushes)
SELECT seq, seq * 3, CONCAT('row ', seq, '\t', REPEAT('z', seq % 7)), IF(seq % 5 = 0, NULL, seq / 7) FROM seq_1_to_100000
-- next
-- ---------------------------------------------------------------- large values around the 16 MiB packet boundary
-- payload = 4-byte length prefix + N: 16777211 -> exactly 0xFFFFFF (then an empty packet), 16777212 -> 2 packets
SELECT REPEAT('x', 16777211) AS r
-- next
SELECT REPEAT('y', 16777212) AS r
-- next
SELECT REPEAT('x', 17*1024*1024)
-- next
SELECT REPEAT('a', 9000000) AS a, 1 AS one, REPEAT(X'5C09', 4500000) AS b, NULL AS n
-- next
-- ---------------------------------------------------------------- errors: output up to the failing statement, then non-zero exit
-- expect-error
SELECT * FROM no_such_table_tsv
-- next
-- expect-error
SELECT 1 AS before_error; SELECT * FROM no_such_table_tsv; SELECT 2 AS never
-- next
-- ---------------------------------------------------------------- cleanup
DROP TABLE IF EXISTS tsv_types
