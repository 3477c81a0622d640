/**
 * EndpointSlice defaults, following pkg/apis/discovery/v1/defaults.go (SetDefaults_EndpointPort):
 * each port's name `""` and protocol TCP when absent. Nothing else is defaulted; in particular an
 * endpoint's absent conditions stay absent (consumers read them as "unknown").
 */
import type { EndpointSlice } from '../types/endpoint-slice.js';

/** Defaults an EndpointSlice in place; only absent (nil) fields are assigned, `""` is kept. */
export function defaultEndpointSlice(obj: EndpointSlice): void {
  for (const port of obj.ports ?? []) {
    if (port === null || typeof port !== 'object') continue;
    if (port.name === undefined || port.name === null) port.name = '';
    if (port.protocol === undefined || port.protocol === null) port.protocol = 'TCP';
  }
}
