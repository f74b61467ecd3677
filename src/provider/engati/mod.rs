//! Engati bot platform (vendors.md Part 1 "Engati", Part 2 §2): the users and conversations
//! reads behind [`UserDirectory`], and the write APIs (template message, broadcast, external
//! broadcast, API Trigger). Engati has no campaign analytics API, so the unified campaign
//! commands are not supported.

mod audience;
mod client;
mod conversations;
mod mapping;
mod wire;
mod write;

use std::sync::Arc;

use async_trait::async_trait;
use futures::stream;

use crate::config::Profile;
use crate::http::{ApiRequest, ApiResponse, HttpOptions};
use crate::provider::users::{BotUser, ChatMessage, ConversationQuery, UserDirectory, UserQuery};
use crate::provider::{
    Adapter, AnalyticsProvider, Capabilities, Operation, PreparedWrite, ProviderError,
    RecordStream, Support, Vendor, WriteApi, WriteCommand, WriteReceipt, no_extra_fields,
    record_stream,
};

use client::{Endpoint, EngatiClient};

/// The vendor's display name in messages.
const VENDOR: &str = "Engati";

/// What `profiles check` asks for: users with an attribute no bot sets, so the answer is a
/// cheap empty list that still proves the key, the customer id and the bot key.
const CHECK_ATTRIBUTE: &str = "wa_analytics_profile_check";

/// Engati as the tool knows it: its user directory and chat history, and its write APIs; no
/// campaign analytics.
pub const ADAPTER: Adapter = Adapter {
    vendor: Vendor::Engati,
    capabilities: Capabilities {
        operations: &[
            (Operation::UsersFind, Support::Native),
            (Operation::Conversations, Support::Native),
            (Operation::SendTemplate, Support::Native),
            (Operation::Broadcast, Support::Native),
            (Operation::BroadcastExternal, Support::Native),
            (Operation::Trigger, Support::Native),
        ],
        native_rates: false,
        concurrency_limit: None,
    },
    extra_fields: no_extra_fields,
    mapping: mapping::MAPPING,
    // Without a range no dates are sent, and Engati answers with the whole history.
    request_limit: None,
    default_ranges: &[(Operation::Conversations, "every message up to now")],
    build: |profile, http| Ok(Arc::new(Engati::new(profile, http)?)),
};

/// The Engati provider.
#[derive(Debug)]
pub struct Engati {
    client: EngatiClient,
}

impl Engati {
    /// A provider for an engati profile.
    pub fn new(profile: &Profile, options: &HttpOptions) -> Result<Engati, ProviderError> {
        Ok(Engati {
            client: EngatiClient::new(profile, options)?,
        })
    }

    /// `GET …/users?attribute_name&attribute_value` (Part 2 §2.2).
    fn users_request(&self, attribute: &str, value: &str) -> ApiRequest {
        ApiRequest::get(format!("{}/users", self.client.bot_path("v1.0")))
            .query("attribute_name", attribute)
            .query("attribute_value", value)
    }
}

/// The `responseObject` of an answer (`Null` when there is none).
fn response_object(answer: client::Answer) -> (ApiResponse, serde_json::Value) {
    let client::Answer { resp, mut body } = answer;
    let object = body
        .get_mut("responseObject")
        .map(serde_json::Value::take)
        .unwrap_or_default();
    (resp, object)
}

#[async_trait]
impl AnalyticsProvider for Engati {
    fn vendor(&self) -> Vendor {
        Vendor::Engati
    }

    async fn check_credentials(&self) -> Result<(), ProviderError> {
        let req = self.users_request(CHECK_ATTRIBUTE, "1");
        self.client.send(req, Endpoint::Users).await.map(|_| ())
    }

    fn user_directory(&self) -> Option<&dyn UserDirectory> {
        Some(self)
    }

    fn writes(&self) -> Option<&dyn WriteApi> {
        Some(self)
    }

    fn raw_api(&self) -> Option<&dyn crate::provider::raw::RawApi> {
        Some(&self.client)
    }
}

#[async_trait]
impl WriteApi for Engati {
    fn prepare_write(&self, command: &WriteCommand) -> Result<PreparedWrite, ProviderError> {
        write::prepare(&self.client, command)
    }

    async fn submit_write(&self, write: PreparedWrite) -> Result<WriteReceipt, ProviderError> {
        write::submit(&self.client, write).await
    }
}

impl UserDirectory for Engati {
    fn find_users<'a>(&'a self, query: &'a UserQuery) -> RecordStream<'a, BotUser> {
        let page = async move {
            let req = self.users_request(&query.attribute, &query.value);
            let answer = self.client.send(req, Endpoint::Users).await?;
            let (resp, object) = response_object(answer);
            wire::users_of(object, &resp)?
                .into_iter()
                .map(|u| wire::read_user(u, &resp.request_line))
                .collect::<Result<Vec<_>, _>>()
        };
        record_stream(stream::once(page))
    }

    fn conversations<'a>(
        &'a self,
        user: &'a str,
        query: &'a ConversationQuery,
    ) -> RecordStream<'a, ChatMessage> {
        conversations::stream(&self.client, user, query)
    }
}
