/**
 * stewardctl: patronictl's commands and habits over the decision service's REST API.
 */
package io.steward.ctl;
