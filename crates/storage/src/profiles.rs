//! Members as the dashboard shows them: search across groups, a member's
//! groups, activity, violations and admins' notes.

use crate::Store;

impl Store {}
