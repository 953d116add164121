/** CSAT surveys as a desk plugin (`desk.csat.*`). */
export { csatPlugin } from "./csat-plugin.js";
export type { CsatMethods } from "./csat-plugin.js";
export { CSAT_SEND_JOB, csatJobKey, surveyButtonId, parseSurveyButtonId, surveyDelayMs } from "./csat-options.js";
export type { CsatOptions, CsatTemplate, SurveyRecord } from "./csat-options.js";
export { SURVEY_ANSWER_REASON } from "./answer-survey.js";
export { signSurveyToken, verifySurveyToken } from "./survey-token.js";
export type { SurveyTokenPayload, SurveyTokenCheck } from "./survey-token.js";
