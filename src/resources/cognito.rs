//! Amazon Cognito: user pools (sign-in) and identity pools (AWS credentials).

use indexmap::IndexMap;
use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::cfn::{Bool, Int, Str};

/// Password rules of a user pool.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PasswordPolicy {
    /// Minimum length (6 to 99).
    pub minimum_length: Int,
    /// Require a lowercase letter.
    pub require_lowercase: Bool,
    /// Require an uppercase letter.
    pub require_uppercase: Bool,
    /// Require a digit.
    pub require_numbers: Bool,
    /// Require a symbol.
    pub require_symbols: Bool,
    /// Days an administrator-set temporary password stays valid.
    pub temporary_password_validity_days: Int,
}

/// The pool's policies.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolPolicies {
    /// Password rules.
    pub password_policy: PasswordPolicy,
}

/// How users recover their account.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccountRecoverySetting {
    /// Mechanisms in order of priority.
    pub recovery_mechanisms: Vec<RecoveryOption>,
}

/// One recovery mechanism.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RecoveryOption {
    /// `verified_email` or `verified_phone_number`.
    pub name: &'static str,
    /// 1 is tried first.
    pub priority: Int,
}

/// Who may create users.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminCreateUserConfig {
    /// `false` lets users sign themselves up.
    pub allow_admin_create_user_only: Bool,
}

/// `AWS::Cognito::UserPool`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPool {
    /// The pool's name.
    pub user_pool_name: Option<Str>,
    /// Users sign in with these instead of a user name (`email`).
    pub username_attributes: Option<Vec<&'static str>>,
    /// Attributes verified automatically (`email`).
    pub auto_verified_attributes: Option<Vec<&'static str>>,
    /// Password rules.
    pub policies: Option<UserPoolPolicies>,
    /// `OFF`, `ON` or `OPTIONAL`.
    pub mfa_configuration: Option<&'static str>,
    /// `SOFTWARE_TOKEN_MFA`, `SMS_MFA`, `EMAIL_OTP`.
    pub enabled_mfas: Option<Vec<&'static str>>,
    /// Account recovery.
    pub account_recovery_setting: Option<AccountRecoverySetting>,
    /// Self sign-up.
    pub admin_create_user_config: Option<AdminCreateUserConfig>,
    /// Who sends the pool's email (verification codes, invitations).
    pub email_configuration: Option<EmailConfiguration>,
    /// `ACTIVE` refuses deletion of the pool.
    pub deletion_protection: Option<&'static str>,
    /// Tags, as a map.
    pub user_pool_tags: Option<IndexMap<String, Str>>,
}
resource!(
    UserPool,
    "AWS::Cognito::UserPool",
    arn => "Arn",
    provider_name => "ProviderName",
    provider_url => "ProviderURL",
    user_pool_id => "UserPoolId",
);

/// A user pool's email sender: `COGNITO_DEFAULT` (a low daily quota) or
/// `DEVELOPER` (your verified Amazon SES identity and SES's quotas).
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EmailConfiguration {
    /// `COGNITO_DEFAULT` or `DEVELOPER`.
    pub email_sending_account: &'static str,
    /// ARN of the verified SES identity (`DEVELOPER`).
    pub source_arn: Option<Str>,
    /// The From address, an address of that identity.
    pub from: Option<Str>,
}

/// Units of the client's token validity periods.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TokenValidityUnits {
    /// Unit of `AccessTokenValidity`.
    pub access_token: &'static str,
    /// Unit of `IdTokenValidity`.
    pub id_token: &'static str,
    /// Unit of `RefreshTokenValidity`.
    pub refresh_token: &'static str,
}

/// `AWS::Cognito::UserPoolClient`: the app's registration with the pool.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolClient {
    /// The pool.
    pub user_pool_id: Str,
    /// The client's name.
    pub client_name: Option<Str>,
    /// Public (mobile) clients cannot keep a secret.
    pub generate_secret: Option<Bool>,
    /// e.g. `ALLOW_USER_SRP_AUTH`, `ALLOW_REFRESH_TOKEN_AUTH`.
    pub explicit_auth_flows: Option<Vec<&'static str>>,
    /// `ENABLED` hides whether a user exists.
    pub prevent_user_existence_errors: Option<&'static str>,
    /// Revoke refresh tokens on sign-out.
    pub enable_token_revocation: Option<Bool>,
    /// Access token lifetime.
    pub access_token_validity: Option<Int>,
    /// ID token lifetime.
    pub id_token_validity: Option<Int>,
    /// Refresh token lifetime.
    pub refresh_token_validity: Option<Int>,
    /// Units of the lifetimes.
    pub token_validity_units: Option<TokenValidityUnits>,
}
resource!(
    UserPoolClient,
    "AWS::Cognito::UserPoolClient",
    client_id => "ClientId",
    name => "Name",
);

/// A user pool an identity pool trusts.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CognitoIdentityProvider {
    /// The app client id.
    pub client_id: Str,
    /// `cognito-idp.<region>.amazonaws.com/<pool id>`.
    pub provider_name: Str,
    /// Check with the pool that the token was not revoked.
    pub server_side_token_check: Option<Bool>,
}

/// `AWS::Cognito::IdentityPool`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityPool {
    /// The pool's name.
    pub identity_pool_name: Option<Str>,
    /// Guests get credentials too (keep `false`).
    pub allow_unauthenticated_identities: Bool,
    /// The basic (classic) flow skips the role checks; keep it off.
    pub allow_classic_flow: Option<Bool>,
    /// Trusted user pools.
    pub cognito_identity_providers: Option<Vec<CognitoIdentityProvider>>,
}
resource!(IdentityPool, "AWS::Cognito::IdentityPool", pool_id => "Id", name => "Name");

/// `AWS::Cognito::IdentityPoolRoleAttachment`: which role each kind of
/// identity assumes.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityPoolRoleAttachment {
    /// The identity pool.
    pub identity_pool_id: Str,
    /// `authenticated` (and `unauthenticated`) to role ARN.
    pub roles: IndexMap<String, Str>,
}
resource!(
    IdentityPoolRoleAttachment,
    "AWS::Cognito::IdentityPoolRoleAttachment"
);
