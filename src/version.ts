/** The k8sim version, recorded in run.json (a test keeps it equal to package.json's). */
export const VERSION = '0.1.0';
