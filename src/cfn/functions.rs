//! Constructors for intrinsic functions and pseudo parameters, typed by what
//! they yield.

use indexmap::IndexMap;
use serde::Serialize;

use super::json;
use super::template::ConditionRef;
use super::value::{Intrinsic, List, Str, Val};

/// `{"Ref": id}` of a parameter or pseudo parameter known by name.
///
/// Resources are referred to through their typed handle instead.
pub fn ref_(id: &str) -> Str {
    Intrinsic::Ref(id.to_owned()).into()
}

/// `{"Fn::Sub": template}`; `${Name}` refers to parameters, resources and
/// pseudo parameters by logical id.
pub fn sub(template: &str) -> Str {
    Intrinsic::Sub(template.to_owned()).into()
}

/// `{"Fn::Sub": [template, {var: value}]}`: variables are given explicitly, so
/// the string keeps working when a logical id is renamed.
pub fn sub_with<'a>(template: &str, vars: impl IntoIterator<Item = (&'a str, Str)>) -> Str {
    let vars: IndexMap<String, serde_json::Value> = vars
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_json()))
        .collect();
    Intrinsic::SubWith(template.to_owned(), vars).into()
}

/// `{"Fn::Join": [separator, parts]}`.
pub fn join(separator: &str, parts: impl IntoIterator<Item = Str>) -> Str {
    Intrinsic::Join(
        separator.to_owned(),
        parts.into_iter().map(|p| p.to_json()).collect(),
    )
    .into()
}

/// `{"Fn::Select": [index, list]}`.
pub fn select(index: u32, list: List) -> Str {
    Intrinsic::Select(index, list.to_json()).into()
}

/// `{"Fn::Split": [separator, string]}`.
pub fn split(separator: &str, value: Str) -> List {
    Intrinsic::Split(separator.to_owned(), value.to_json()).into()
}

/// `{"Fn::GetAZs": ""}`: the availability zones of the stack's region.
pub fn get_azs() -> List {
    Intrinsic::GetAZs(serde_json::Value::String(String::new())).into()
}

/// `{"Fn::Cidr": [block, count, bits]}`: `count` subnet blocks of `bits` host bits.
pub fn cidr(block: Str, count: u32, bits: u32) -> List {
    Intrinsic::Cidr(block.to_json(), count, bits).into()
}

/// `{"Fn::ImportValue": name}`: an export of another stack.
pub fn import_value(name: Str) -> Str {
    Intrinsic::ImportValue(name.to_json()).into()
}

/// `{"Fn::Base64": value}`.
pub fn base64(value: Str) -> Str {
    Intrinsic::Base64(value.to_json()).into()
}

/// `{"Fn::If": [condition, then, else]}`, typed by its branches.
pub fn if_<T: Serialize>(condition: &ConditionRef, then: Val<T>, otherwise: Val<T>) -> Val<T> {
    Intrinsic::If(condition.id().to_owned(), json(&then), json(&otherwise)).into()
}

/// `{"Fn::FindInMap": [map, top key, second key]}`: a value of a mapping
/// declared with [`crate::cfn::Template::mapping`].
pub fn find_in_map(map: &str, top: Str, second: &str) -> Str {
    Intrinsic::FindInMap(
        map.to_owned(),
        top.to_json(),
        serde_json::Value::String(second.to_owned()),
    )
    .into()
}

/// `{"Fn::Equals": [a, b]}`: a condition expression for [`crate::cfn::Template::condition`].
pub fn equals(a: Str, b: Str) -> Intrinsic {
    Intrinsic::Equals(a.to_json(), b.to_json())
}

/// `{"Fn::Not": [condition]}`.
pub fn not(condition: Intrinsic) -> Intrinsic {
    Intrinsic::Not(json(&condition))
}

/// `{"Fn::Or": [conditions]}`.
pub fn or(conditions: impl IntoIterator<Item = Intrinsic>) -> Intrinsic {
    Intrinsic::Or(conditions.into_iter().map(|c| json(&c)).collect())
}

/// `{"Fn::And": [conditions]}`.
pub fn and(conditions: impl IntoIterator<Item = Intrinsic>) -> Intrinsic {
    Intrinsic::And(conditions.into_iter().map(|c| json(&c)).collect())
}

/// Pseudo parameters: values CloudFormation supplies for every stack.
pub mod aws {
    use super::{Intrinsic, Str, Val};

    fn pseudo<T>(name: &str) -> Val<T> {
        Intrinsic::Ref(format!("AWS::{name}")).into()
    }

    /// `AWS::AccountId`.
    pub fn account_id() -> Str {
        pseudo("AccountId")
    }
    /// `AWS::Region`.
    pub fn region() -> Str {
        pseudo("Region")
    }
    /// `AWS::Partition` (`aws`, `aws-cn`, `aws-us-gov`).
    pub fn partition() -> Str {
        pseudo("Partition")
    }
    /// `AWS::StackName`.
    pub fn stack_name() -> Str {
        pseudo("StackName")
    }
    /// `AWS::StackId`.
    pub fn stack_id() -> Str {
        pseudo("StackId")
    }
    /// `AWS::URLSuffix` (`amazonaws.com` in most partitions).
    pub fn url_suffix() -> Str {
        pseudo("URLSuffix")
    }
    /// `AWS::NoValue`: removes the property it is assigned to.
    pub fn no_value<T>() -> Val<T> {
        pseudo("NoValue")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json as j;

    #[test]
    fn functions_render_in_long_form() {
        assert_eq!(json(&ref_("Stage")), j!({"Ref": "Stage"}));
        assert_eq!(json(&aws::region()), j!({"Ref": "AWS::Region"}));
        assert_eq!(
            json(&sub_with("${A}-x", [("A", aws::stack_name())])),
            j!({"Fn::Sub": ["${A}-x", {"A": {"Ref": "AWS::StackName"}}]})
        );
        assert_eq!(
            json(&join(",", [Str::from("a"), aws::region()])),
            j!({"Fn::Join": [",", ["a", {"Ref": "AWS::Region"}]]})
        );
        assert_eq!(
            json(&select(1, get_azs())),
            j!({"Fn::Select": [1, {"Fn::GetAZs": ""}]})
        );
        assert_eq!(
            json(&split(",", ref_("Ids"))),
            j!({"Fn::Split": [",", {"Ref": "Ids"}]})
        );
        assert_eq!(
            json(&select(0, cidr("10.0.0.0/16".into(), 4, 8))),
            j!({"Fn::Select": [0, {"Fn::Cidr": ["10.0.0.0/16", 4, 8]}]})
        );
        assert_eq!(
            json(&import_value(sub("${Net}-VpcId"))),
            j!({"Fn::ImportValue": {"Fn::Sub": "${Net}-VpcId"}})
        );
        assert_eq!(
            json(&not(equals(ref_("Env"), "prod".into()))),
            j!({"Fn::Not": [{"Fn::Equals": [{"Ref": "Env"}, "prod"]}]})
        );
    }

    #[test]
    fn typed_fields_take_literals_or_functions() {
        let n: crate::cfn::Int = 5i64.into();
        assert_eq!(json(&n), j!(5));
        let n: crate::cfn::Int = Intrinsic::Ref("Count".into()).into();
        assert_eq!(json(&n), j!({"Ref": "Count"}));
        let b: crate::cfn::Bool = true.into();
        assert_eq!(json(&b), j!(true));
        let l: List = vec!["a", "b"].into();
        assert_eq!(json(&l), j!(["a", "b"]));
    }

    #[test]
    fn if_keeps_the_branch_type() {
        let c = ConditionRef::new("IsProd");
        let v: crate::cfn::Int = if_(&c, 3i64.into(), aws::no_value());
        assert_eq!(
            json(&v),
            j!({"Fn::If": ["IsProd", 3, {"Ref": "AWS::NoValue"}]})
        );
    }
}
