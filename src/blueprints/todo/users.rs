//! T2: sign-in with a Cognito user pool, and T3: an identity pool handing
//! signed-in users credentials for their own prefix of the files bucket.

use indexmap::IndexMap;

use super::settings::Mfa;
use super::{Settings, tags};
use crate::cfn::{Envelope, Handle, Output, Template, sub, sub_with};
use crate::patterns::{naming, storage};
use crate::resources::cognito::{
    AccountRecoverySetting, AdminCreateUserConfig, CognitoIdentityProvider, EmailConfiguration,
    IdentityPool, IdentityPoolRoleAttachment, PasswordPolicy, RecoveryOption, TokenValidityUnits,
    UserPool, UserPoolClient, UserPoolPolicies,
};
use crate::resources::iam::{InlinePolicy, PolicyDocument, Role, Statement};
use crate::resources::s3::{Bucket, CorsConfiguration, CorsRule};

/// Adds the user pool and the mobile app's client.
pub(super) fn add_user_pool(
    t: &mut Template,
    s: &Settings,
) -> (Handle<UserPool>, Handle<UserPoolClient>) {
    let (mfa, factors) = match s.auth.mfa {
        Mfa::Off => ("OFF", None),
        Mfa::Optional => ("OPTIONAL", Some(vec!["SOFTWARE_TOKEN_MFA"])),
        Mfa::On => ("ON", Some(vec!["SOFTWARE_TOKEN_MFA"])),
    };
    let pool = t.add_with(
        "UserPool",
        UserPool {
            user_pool_name: Some(naming::unique(&format!("{}-users", s.name))),
            username_attributes: Some(vec!["email"]),
            auto_verified_attributes: Some(vec!["email"]),
            policies: Some(UserPoolPolicies {
                password_policy: PasswordPolicy {
                    minimum_length: s.auth.password_min_length.get().into(),
                    require_lowercase: true.into(),
                    require_uppercase: true.into(),
                    require_numbers: true.into(),
                    require_symbols: s.auth.require_symbols.into(),
                    temporary_password_validity_days: 3.into(),
                },
            }),
            mfa_configuration: Some(mfa),
            enabled_mfas: factors,
            account_recovery_setting: Some(AccountRecoverySetting {
                recovery_mechanisms: vec![RecoveryOption {
                    name: "verified_email",
                    priority: 1.into(),
                }],
            }),
            admin_create_user_config: Some(AdminCreateUserConfig {
                allow_admin_create_user_only: false.into(),
            }),
            // Cognito's default sender allows few emails a day; with
            // `auth.ses_sender` the pool sends through the account's SES.
            email_configuration: s.auth.ses_sender.as_ref().map(|from| EmailConfiguration {
                email_sending_account: "DEVELOPER",
                source_arn: Some(sub(&format!(
                    "arn:${{AWS::Partition}}:ses:${{AWS::Region}}:${{AWS::AccountId}}:identity/{}",
                    from.as_str()
                ))),
                from: Some(from.as_str().into()),
            }),
            deletion_protection: Some("ACTIVE"),
            user_pool_tags: Some(IndexMap::from([("app".to_owned(), s.name.as_str().into())])),
        },
        Envelope::new().retain(),
    );
    let client = t.add(
        "UserPoolClient",
        UserPoolClient {
            user_pool_id: pool.r#ref(),
            client_name: Some(format!("{}-mobile", s.name).into()),
            generate_secret: Some(false.into()),
            explicit_auth_flows: Some(vec!["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]),
            prevent_user_existence_errors: Some("ENABLED"),
            enable_token_revocation: Some(true.into()),
            access_token_validity: Some(s.auth.access_token_minutes.get().into()),
            id_token_validity: Some(s.auth.access_token_minutes.get().into()),
            refresh_token_validity: Some(s.auth.refresh_token_days.get().into()),
            token_validity_units: Some(TokenValidityUnits {
                access_token: "minutes",
                id_token: "minutes",
                refresh_token: "days",
            }),
        },
    );
    (pool, client)
}

/// Where the files bucket's server access logs go in its log bucket.
const USER_FILE_LOGS: &str = "user-files/";

/// Adds the files bucket and the identity pool whose signed-in identities
/// reach only their own prefix of it.
pub(super) fn add_user_files(
    t: &mut Template,
    s: &Settings,
    pool: &Handle<UserPool>,
    client: &Handle<UserPoolClient>,
) -> Handle<Bucket> {
    let logs = storage::access_log_bucket(t, "UserFilesAccessLogs", s.log_retention_days.get());
    let mut bucket = storage::private_bucket(30);
    bucket.cors_configuration = Some(CorsConfiguration {
        cors_rules: vec![CorsRule {
            allowed_headers: vec!["*".into()],
            allowed_methods: vec!["GET".into(), "PUT".into(), "HEAD".into(), "DELETE".into()],
            allowed_origins: vec![s.api.cors_origin.to_string()],
            exposed_headers: Some(vec!["ETag".into()]),
            max_age: Some(3000.into()),
        }],
    });
    bucket.logging_configuration = Some(storage::log_to(&logs, USER_FILE_LOGS));
    bucket.tags = tags(s);
    let bucket = t.add_with("UserFilesBucket", bucket, Envelope::new().retain());
    storage::bucket_policy(t, "UserFilesBucketPolicy", &bucket, vec![]);
    storage::allow_access_logs(t, &logs, &[(&bucket, USER_FILE_LOGS)]);

    identity_pool(t, s, pool, client, &bucket);
    bucket
}

/// T3: the identity pool, and the role its signed-in identities assume:
/// their own prefix of `bucket` only.
fn identity_pool(
    t: &mut Template,
    s: &Settings,
    pool: &Handle<UserPool>,
    client: &Handle<UserPoolClient>,
    bucket: &Handle<Bucket>,
) {
    let identity_pool = t.add(
        "IdentityPool",
        IdentityPool {
            identity_pool_name: Some(naming::unique(&format!(
                "{}_files",
                s.name.replace('-', "_")
            ))),
            allow_unauthenticated_identities: false.into(),
            allow_classic_flow: Some(false.into()),
            cognito_identity_providers: Some(vec![CognitoIdentityProvider {
                client_id: client.r#ref(),
                provider_name: pool.provider_name(),
                server_side_token_check: Some(true.into()),
            }]),
        },
    );
    // The role a signed-in user's identity assumes (STS
    // AssumeRoleWithWebIdentity, through the identity pool): only this pool's
    // authenticated identities, only their own prefix.
    let own_prefix = "private/${cognito-identity.amazonaws.com:sub}";
    let role = t.add(
        "AuthenticatedUserRole",
        Role {
            assume_role_policy_document: PolicyDocument::new(vec![
                Statement::allow(["sts:AssumeRoleWithWebIdentity"], vec![])
                    .principal(serde_json::json!({"Federated": "cognito-identity.amazonaws.com"}))
                    .condition(serde_json::json!({
                        "StringEquals": {"cognito-identity.amazonaws.com:aud": identity_pool.r#ref().to_json()},
                        "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}
                    })),
            ]),
            description: Some(OWN_FILES_ROLE.into()),
            policies: vec![InlinePolicy {
                policy_name: "OwnFilesOnly".into(),
                policy_document: PolicyDocument::new(vec![
                    Statement::allow(
                        ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                        vec![sub_with(
                            "${Bucket}/private/${!cognito-identity.amazonaws.com:sub}/*",
                            [("Bucket", bucket.arn())],
                        )],
                    )
                    .sid("OwnObjects"),
                    Statement::allow(["s3:ListBucket"], vec![bucket.arn()])
                        .sid("ListOwnPrefix")
                        .condition(serde_json::json!({
                            "StringLike": {"s3:prefix": [own_prefix, format!("{own_prefix}/*")]}
                        })),
                ]),
            }],
            ..Default::default()
        },
    );
    t.add(
        "IdentityPoolRoles",
        IdentityPoolRoleAttachment {
            identity_pool_id: identity_pool.r#ref(),
            roles: IndexMap::from([("authenticated".to_owned(), role.arn())]),
        },
    );
    t.output(
        "IdentityPoolId",
        Output::new(
            "Identity pool that exchanges a sign-in for temporary AWS credentials",
            identity_pool.r#ref(),
        ),
    );
}

/// The description of the role signed-in users assume.
const OWN_FILES_ROLE: &str =
    "Signed-in users: read and write their own prefix of the user files bucket";
