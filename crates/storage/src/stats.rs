//! Activity figures for the dashboard: messages and active members per group
//! and day, pending reviews, recent actions.

use crate::Store;

impl Store {}
