// Steward dashboard: the review page's enhancements.
'use strict';
