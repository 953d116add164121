/** Crisis mode as a desk plugin (`desk.incidents.*`). */
export { incidentsPlugin } from "./incidents-plugin.js";
export type { IncidentsMethods, IncidentProgress, IncidentRunResult, BroadcastInput } from "./incidents-plugin.js";
export {
  incidentMatches,
  ticketConditionsHold,
  orderConditionsHold,
  hasOrderConditions,
  localized,
  checkIncidentInput,
} from "./incident.js";
export type { Incident, IncidentInput, IncidentMatch, LocalizedText } from "./incident.js";
