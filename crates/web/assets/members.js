// Steward dashboard: the members page's enhancements.
'use strict';
