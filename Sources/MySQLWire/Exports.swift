@_exported import MySQLWireProtocol
