// Steward dashboard: the rules page's enhancements.
'use strict';
