//! Closed sets of named values that users choose from (measures, export
//! formats): each value owns its name, and the name is all that crosses a
//! surface (a command-line value, a query parameter, a JSON Schema `enum`).

/// Declares a closed set of named values: the enum, its names both ways,
/// serde (as the name) and a JSON Schema `enum` of the names.
macro_rules! named {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $word:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Every name, in declaration order.
            pub const NAMES: &'static [&'static str] = &[$($word),+];

            /// Its name.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            /// The value named `word`, if there is one.
            pub fn from_name(word: &str) -> Option<$name> {
                match word { $($word => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.name())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let names = $name::NAMES.join(", ");
                interlock_model::kinds::by_name(d, stringify!($name), $name::from_name, &names)
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "string", "enum": [$($word),+] })
            }
        }
    };
}

pub(crate) use named;

#[cfg(test)]
mod tests {
    use crate::{ExportFormat, Measure};

    #[test]
    fn names_go_both_ways_and_through_serde() {
        for m in Measure::ALL {
            assert_eq!(Measure::from_name(m.name()), Some(*m));
            let json = serde_json::to_string(m).unwrap();
            assert_eq!(serde_json::from_str::<Measure>(&json).unwrap(), *m);
        }
        for f in ExportFormat::ALL {
            assert_eq!(ExportFormat::from_name(f.name()), Some(*f));
        }
        let e = serde_json::from_str::<ExportFormat>("\"svg\"").unwrap_err();
        assert!(
            e.to_string()
                .contains("unknown export format 'svg'; expected one of graphml, gexf"),
            "{e}"
        );
    }
}
