//! Nickname rules: a member's name checked against the group's pattern on
//! join and on rename; reminded, then restricted after a grace period.

use steward_core::{IncomingEvent, MemberId};
use steward_storage::Tx;

use super::interact::Sink;
use super::lifecycle::Step;
use super::{GroupInfo, Pipeline, PipelineError};

impl Pipeline {
    /// Checks a member's name against the group's nickname rule.
    pub(super) async fn check_nickname(
        &self,
        _tx: &mut Tx,
        _sink: &mut Sink<'_>,
        _event: &IncomingEvent,
        _group: GroupInfo,
        _member: MemberId,
    ) -> Result<Step, PipelineError> {
        Ok(Step::pass())
    }

    /// A member left: their pending nickname reminder is dropped.
    pub(super) async fn nickname_member_left(
        &self,
        _tx: &mut Tx,
        _sink: &mut Sink<'_>,
        _event: &IncomingEvent,
        _group: GroupInfo,
        _member: MemberId,
    ) -> Result<Step, PipelineError> {
        Ok(Step::pass())
    }
}
