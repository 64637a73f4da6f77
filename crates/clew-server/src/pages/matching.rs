//! `POST /match/{dataset}`: the OpenSanctions (yente) matching API over the sanctions lists the project keeps,
//! so that tools written for yente screen against them unchanged. The request and response are yente's.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, RawQuery, State};
use clew_service::Code;
use clew_service::matching::{MatchParams, MatchRequest, MatchResponse};

use crate::i18n::Msg;
use crate::{App, Failure};

/// yente's query parameters; the list-valued ones repeat (`exclude_schema=A&exclude_schema=B`).
fn params(raw: Option<&str>) -> Result<MatchParams, Failure> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw.unwrap_or("")).map_err(|_| Failure::own(Code::Usage, Msg::ErrorMalformed))?;
    let mut params = MatchParams::default();
    let number = |key: &str, value: &str| {
        value
            .parse::<f64>()
            .map_err(|_| Failure::own_with(Code::Usage, Msg::ErrorParameter, vec![("name", key.to_string())]))
    };
    for (key, value) in pairs {
        match key.as_str() {
            "limit" => params.limit = Some(number(&key, &value)?.max(0.0) as usize),
            "threshold" => params.threshold = Some(number(&key, &value)?),
            "cutoff" => params.cutoff = Some(number(&key, &value)?),
            "algorithm" => params.algorithm = Some(value),
            "exclude_schema" => params.exclude_schema.push(value),
            "include_dataset" => params.include_dataset.push(value),
            "exclude_dataset" => params.exclude_dataset.push(value),
            "exclude_entity_ids" => params.exclude_entity_ids.push(value),
            // yente's other parameters (`fuzzy`, `changed_since`, `topics`) change nothing here.
            _ => {}
        }
    }
    Ok(params)
}

pub(crate) async fn post(
    State(app): State<App>,
    Path(dataset): Path<String>,
    RawQuery(raw): RawQuery,
    body: Result<Json<MatchRequest>, JsonRejection>,
) -> Result<Json<MatchResponse>, Failure> {
    let Json(request) = body.map_err(crate::pages::unreadable_json)?;
    let params = params(raw.as_deref())?;
    Ok(Json(app.run(move |service| service.match_queries(&dataset, &request, &params)).await?))
}
