//! The map of worksites and accommodation: the places a reader may see, drawn by the server on the base map
//! shipped with clew (nothing is fetched), and listed below it for those who cannot see the drawing.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use clew_service::places::Place;
use maud::{PreEscaped, html};

use crate::frame::Ctx;
use crate::guard::Caller;
use crate::i18n::{Arg, Lang, Msg};
use crate::map::{MapLabels, MapPoint, PointKind, render_map};
use crate::pages::dashboard::schema_label;
use crate::{App, Failure, html};

/// The places on the map.
#[derive(Debug, serde::Serialize)]
pub(crate) struct Places {
    places: Vec<Place>,
}

async fn view(app: &App, caller: &Caller) -> Result<Places, Failure> {
    let ceiling = caller.role.ceiling();
    Ok(Places { places: app.run(move |service| service.places(ceiling)).await? })
}

pub(crate) async fn api(State(app): State<App>, caller: Caller) -> Result<Json<Places>, Failure> {
    Ok(Json(view(&app, &caller).await?))
}

/// The words a map needs, in `lang`.
pub(crate) fn map_labels(lang: Lang) -> MapLabels {
    MapLabels {
        places: lang.tr(Msg::MapPlaces, &[("n", Arg::Text("{n}"))]),
        worksite: lang.t(Msg::MapWorksite),
        accommodation: lang.t(Msg::MapAccommodation),
        other: lang.t(Msg::MapOther),
        mixed: lang.t(Msg::MapMixed),
        outside: lang.t(Msg::MapOutside),
    }
}

pub(crate) async fn page(State(app): State<App>, ctx: Ctx, caller: Caller) -> Response {
    let view = match view(&app, &caller).await {
        Ok(view) => view,
        Err(failure) => return failure.into_response(),
    };
    let lang = ctx.lang;
    let points: Vec<MapPoint> = view
        .places
        .iter()
        .map(|place| MapPoint {
            lat: place.lat,
            lon: place.lon,
            label: place.caption.clone(),
            href: Some(format!("/entities/{}", place.id)),
            kind: match place.schema.as_str() {
                "Worksite" => PointKind::Worksite,
                "Accommodation" => PointKind::Accommodation,
                _ => PointKind::Other,
            },
        })
        .collect();
    let labels = map_labels(lang);
    let title = lang.t(Msg::MapTitle);
    // The SVG is made by `render_map`, which escapes every text and link it draws.
    let svg = render_map(&points, &title, &labels);
    let body = html! {
        p { (lang.t(Msg::MapIntro)) }
        figure.map { (PreEscaped(svg)) }
        @if view.places.is_empty() {
            p { (lang.t(Msg::MapNone)) }
        } @else {
            table {
                caption { (lang.t(Msg::MapList)) }
                thead { tr { th scope="col" { (lang.t(Msg::ColumnName)) } th scope="col" { (lang.t(Msg::ColumnSchema)) } th scope="col" class="n" { "°N" } th scope="col" class="n" { "°E" } } }
                tbody {
                    @for place in &view.places {
                        tr {
                            td { a href={ "/entities/" (place.id) } { (place.caption) } }
                            td { (schema_label(lang, &place.schema)) }
                            td.n { (format!("{:.2}", place.lat)) }
                            td.n { (format!("{:.2}", place.lon)) }
                        }
                    }
                }
            }
        }
        p.notice { (lang.t(Msg::MapSource)) }
    };
    html::page(&ctx, Some(&caller), &title, body).into_response()
}
