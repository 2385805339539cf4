/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Every handler of the route table (route_table.h), declared from its rows: a handler is named
 * once, in the row of its route, and its file includes this header for the declaration. A
 * module's own header keeps what else the module offers (action_json, incident_totals, ...). */
#ifndef RECOURS_HANDLERS_HANDLERS_H
#define RECOURS_HANDLERS_HANDLERS_H

#include "http/request.h"

#define ROUTE(method, path, handler, role) struct reply handler(struct request *rq);
#define ROUTE_RECORDING_GET(path, handler, role) ROUTE("GET", path, handler, role)
#include "route_table.h"
#undef ROUTE
#undef ROUTE_RECORDING_GET

#endif
