// Placeholder header until the wire-protocol issue lands (see PROTOCOL.md).
#ifndef FURUTA_PROTOCOL_H
#define FURUTA_PROTOCOL_H
#define FURUTA_PROTOCOL_VERSION 1
#endif
