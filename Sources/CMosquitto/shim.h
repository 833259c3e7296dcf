/// libmosquitto's client API, exposed to Swift as the CMosquitto module.
#include <mosquitto.h>
