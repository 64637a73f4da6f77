//! The places a project knows the coordinates of (worksites, accommodation, addresses), for the map.

use clew_model::{Entity, EntityId, Sensitivity};
use clew_store::ReadTx;

use crate::analysis::model;
use crate::{Result, Service};

/// The schemata whose entities may carry coordinates (`latitude`, `longitude`).
pub const PLACE_SCHEMATA: [&str; 3] = ["Worksite", "Accommodation", "Address"];

/// A place on the map.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Place {
    /// The entity.
    pub id: EntityId,
    /// `Worksite`, `Accommodation` or `Address`.
    pub schema: String,
    /// Its name.
    pub caption: String,
    /// Degrees north.
    pub lat: f64,
    /// Degrees east.
    pub lon: f64,
    /// The most sensitive of the statements it is drawn from (its coordinates and caption).
    pub sensitivity: Sensitivity,
}

/// Every place with coordinates, whoever may see it.
pub(crate) fn all_places(store: &dyn ReadTx) -> Result<Vec<Place>> {
    let model = model()?;
    let schemata: Vec<String> = PLACE_SCHEMATA.iter().map(|s| s.to_string()).collect();
    let mut places = Vec::new();
    let mut after: Option<EntityId> = None;
    loop {
        let rows = store.list_entities(&schemata, after.as_ref(), 1000)?;
        let Some(last) = rows.last() else { break };
        after = Some(last.id.clone());
        for row in &rows {
            let statements = store.statements_for_entity(&row.id)?;
            let Some(entity) = Entity::assemble(model, &row.id, statements) else { continue };
            if let Some(place) = place_of(model, &entity) {
                places.push(place);
            }
        }
        if rows.len() < 1000 {
            break;
        }
    }
    Ok(places)
}

/// An entity's place, when it has one latitude and one longitude in range.
fn place_of(model: &clew_model::Model, entity: &Entity) -> Option<Place> {
    let coordinate = |property: &str, limit: f64| {
        let statement = entity.properties.get(property)?.first()?;
        let value: f64 = statement.value.parse().ok()?;
        (value.is_finite() && value.abs() <= limit).then_some((value, statement.sensitivity))
    };
    let (lat, lat_sensitivity) = coordinate("latitude", 90.0)?;
    let (lon, lon_sensitivity) = coordinate("longitude", 180.0)?;
    let caption_sensitivity = ["name", "full", "city", "region"]
        .iter()
        .filter_map(|p| entity.properties.get(*p).and_then(|s| s.first()).map(|s| s.sensitivity))
        .next()
        .unwrap_or(Sensitivity::Public);
    Some(Place {
        id: entity.id.clone(),
        schema: entity.schema.clone(),
        caption: entity.caption(model),
        lat,
        lon,
        sensitivity: lat_sensitivity.max(lon_sensitivity).max(caption_sensitivity),
    })
}

impl Service {
    /// The places with coordinates a reader with `ceiling` may see (built once per state of the project).
    pub fn places(&self, ceiling: Sensitivity) -> Result<Vec<Place>> {
        let store = self.project.read()?;
        let version = store.statements_version()?;
        let all = self.places.get(version, || all_places(&*store))?;
        Ok(all.iter().filter(|place| place.sensitivity <= ceiling).cloned().collect())
    }
}
