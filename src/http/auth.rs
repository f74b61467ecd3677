//! Credential headers and the one renewal after a refused credential, written once for every
//! vendor: a vendor names its headers (which profile key, which header, which scheme) and, when
//! it differs, which answers mean "the credential was refused" and whether a write may be sent
//! again after one.

use std::sync::Arc;

use reqwest::header::{ACCEPT, HeaderName, HeaderValue};
use secrecy::ExposeSecret;

use crate::api_error::ProviderError;
use crate::secret::Credential;

use super::{ApiRequest, ApiResponse, HttpClient, Safety, secret_header};

/// How a credential is written in its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// The value as is (`X-Token: <value>`).
    Raw,
    /// `Bearer <value>`.
    Bearer,
    /// `Basic <value>`, the value sent as the profile holds it.
    Basic,
}

/// One credential header of a vendor's requests.
#[derive(Debug)]
pub struct CredentialHeader {
    name: HeaderName,
    /// The profile key it comes from, for messages ("token").
    key: &'static str,
    scheme: Scheme,
    credential: Arc<Credential>,
}

impl CredentialHeader {
    pub fn new(
        name: HeaderName,
        key: &'static str,
        scheme: Scheme,
        credential: Arc<Credential>,
    ) -> Self {
        CredentialHeader {
            name,
            key,
            scheme,
            credential,
        }
    }
}

/// The credentials a vendor's requests carry, and when they are renewed.
#[derive(Debug)]
pub struct Credentials {
    vendor: &'static str,
    headers: Vec<CredentialHeader>,
    /// Whether an answer says the credential was refused (by default: a 401).
    refused: fn(&ApiResponse) -> bool,
    /// Whether a write is sent again after a renewal (only where the vendor refuses a bad
    /// credential before acting on the request).
    renew_writes: bool,
}

fn is_401(resp: &ApiResponse) -> bool {
    resp.status.as_u16() == 401
}

impl Credentials {
    /// `headers` on every request, and after a 401 to a read, one renewal of `command`
    /// credentials and one more try.
    pub fn new(vendor: &'static str, headers: Vec<CredentialHeader>) -> Self {
        Credentials {
            vendor,
            headers,
            refused: is_401,
            renew_writes: false,
        }
    }

    /// Renews after the answers `refused` says refused the credential, instead of a 401.
    pub fn refused_when(mut self, refused: fn(&ApiResponse) -> bool) -> Self {
        self.refused = refused;
        self
    }

    /// Sends a write again after a renewal too: only for a vendor that refuses a request with a
    /// bad credential before doing anything with it.
    pub fn renew_writes(mut self) -> Self {
        self.renew_writes = true;
        self
    }

    /// The header names added to every request (what `--dry-run` shows as redacted).
    pub fn header_names(&self) -> Vec<HeaderName> {
        self.headers.iter().map(|h| h.name.clone()).collect()
    }

    /// `req` with `Accept: application/json` and the credential headers (sensitive, so never
    /// logged nor sent across origins).
    pub fn authorize(&self, req: ApiRequest) -> Result<ApiRequest, ProviderError> {
        let mut req = req.header(ACCEPT, HeaderValue::from_static("application/json"));
        for h in &self.headers {
            let secret = h
                .credential
                .get()
                .map_err(|e| ProviderError::from_secret(self.vendor, e))?;
            let value = match h.scheme {
                Scheme::Raw => secret_header(self.vendor, h.key, secret.expose_secret())?,
                Scheme::Bearer => secret_header(
                    self.vendor,
                    h.key,
                    &format!("Bearer {}", secret.expose_secret()),
                )?,
                Scheme::Basic => secret_header(
                    self.vendor,
                    h.key,
                    &format!("Basic {}", secret.expose_secret()),
                )?,
            };
            req = req.header(h.name.clone(), value);
        }
        Ok(req)
    }

    /// Re-runs every `command` credential; whether any changed.
    fn renew(&self) -> Result<bool, ProviderError> {
        let mut renewed = false;
        for h in &self.headers {
            renewed |= h
                .credential
                .refresh()
                .map_err(|e| ProviderError::from_secret(self.vendor, e))?;
        }
        Ok(renewed)
    }

    /// Sends `req` with the credentials. When the answer refuses them and the request may be
    /// sent again, `command` credentials are re-run once and, if that gave new values, the
    /// request is sent once more (a short-lived token renewed by the user's own script).
    pub async fn send(
        &self,
        http: &HttpClient,
        req: ApiRequest,
    ) -> Result<ApiResponse, ProviderError> {
        let resp = http.send(&self.authorize(req.clone())?).await?;
        let may_resend = req.safety != Safety::Write || self.renew_writes;
        if may_resend && (self.refused)(&resp) && self.renew()? {
            return http.send(&self.authorize(req)?).await;
        }
        Ok(resp)
    }
}
