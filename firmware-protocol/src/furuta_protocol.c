#include "furuta_protocol.h"
int furuta_protocol_version(void) { return FURUTA_PROTOCOL_VERSION; }
