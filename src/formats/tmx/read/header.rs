//! The TMX prolog and header (TMX 1.4b §3: the XML declaration, `<tmx>` and its version,
//! `<header>` with its attributes, props and notes) up to `<body>`, and what may follow
//! `</body>`: the parts of a document read once, around the stream of units in `read.rs`.

use super::*;

impl<R: Read> TmxReader<R> {
    pub(super) fn read_prolog(&mut self, buf: &mut Vec<u8>) -> Parse<()> {
        // Before the root element.
        loop {
            let (ev, offset) = self.event(buf)?;
            match ev {
                Event::Decl(d) => {
                    if let Some(Ok(declared)) = d.encoding() {
                        let detected = self.encoding();
                        if !detected.agrees_with(&declared) {
                            let msg = format!(
                                "the XML declaration says encoding=\"{declared}\" but the bytes \
                                 are {} ({}); read as {}",
                                detected.name(),
                                detected.evidence(),
                                detected.name()
                            );
                            self.warn(offset, msg);
                        }
                    }
                }
                Event::DocType(d) => {
                    if d.contains("<!ENTITY") {
                        return Err(Fail::Fatal(self.error_at(
                            offset,
                            "the DOCTYPE declares entities; entity declarations are refused \
                             (TMX uses only the five XML entities; this also blocks \
                             entity-expansion attacks)",
                        )));
                    }
                    // An external DTD is named but never fetched.
                }
                Event::Comment(_) | Event::PI(_) => {}
                Event::Text(t) if is_blank(&t) => {}
                Event::Start(e) if local(&e) == "tmx" => {
                    let attrs = self.attributes(&e, offset)?;
                    self.root_attributes(attrs, offset);
                    break;
                }
                Event::Empty(e) if local(&e) == "tmx" => {
                    return Err(Fail::Fatal(
                        self.error_at(offset, "<tmx/> is empty: no <body>"),
                    ));
                }
                Event::Start(e) | Event::Empty(e) => {
                    let name = local(&e).to_string();
                    return Err(Fail::Fatal(self.error_at(
                        offset,
                        format!("the root element is <{name}>, not <tmx>: not a TMX file"),
                    )));
                }
                Event::Eof => {
                    return Err(Fail::Fatal(self.error_at(
                        offset,
                        "no <tmx> element: the file is empty or not TMX",
                    )))
                }
                _ => {
                    return Err(Fail::Fatal(
                        self.error_at(offset, "text before the <tmx> element: not a TMX file"),
                    ))
                }
            }
        }
        // Inside <tmx>, up to <body>.
        let mut seen_header = false;
        loop {
            let (ev, offset) = self.event(buf)?;
            match ev {
                Event::Start(e) | Event::Empty(e) if local(&e) == "header" => {
                    let empty = self.depth == 1;
                    let attrs = self.attributes(&e, offset)?;
                    seen_header = true;
                    self.header_attributes(attrs, offset)?;
                    if !empty {
                        self.header_children(buf)?;
                    }
                }
                Event::Start(e) if local(&e) == "body" => {
                    if !seen_header {
                        self.warn(
                            offset,
                            "no <header> before <body> (required by TMX); read anyway",
                        );
                    }
                    return Ok(());
                }
                Event::Empty(e) if local(&e) == "body" => {
                    if !seen_header {
                        self.warn(
                            offset,
                            "no <header> before <body> (required by TMX); read anyway",
                        );
                    }
                    // An empty body: the document must still end properly.
                    self.finish(buf)?;
                    self.done = true;
                    self.warn_if_no_unit();
                    return Ok(());
                }
                Event::Start(e) | Event::Empty(e) => {
                    let name = local(&e).to_string();
                    return Err(Fail::Fatal(self.error_at(
                        offset,
                        format!("unexpected <{name}> in <tmx>: expected <header> or <body>"),
                    )));
                }
                Event::End(_) => {
                    return Err(Fail::Fatal(self.error_at(offset, "<tmx> has no <body>")));
                }
                Event::Comment(_) | Event::PI(_) => {}
                Event::Text(t) if is_blank(&t) => {}
                Event::Eof => return Err(self.truncated(offset, "<tmx>")),
                _ => {
                    return Err(Fail::Fatal(
                        self.error_at(offset, "text directly inside <tmx>"),
                    ))
                }
            }
        }
    }

    fn root_attributes(&mut self, attrs: Attrs, offset: Offset) {
        let version = attrs
            .into_iter()
            .find(|(k, _)| k == "version")
            .map(|(_, v)| v);
        match &version {
            Some(v) if KNOWN_VERSIONS.contains(&v.trim()) => {}
            Some(v) => {
                let msg = format!("unknown TMX version \"{v}\"; read as TMX 1.4");
                self.warn(offset, msg);
            }
            None => self.warn(offset, "<tmx> has no version attribute; read as TMX 1.4"),
        }
        self.header.version = version;
    }

    fn header_attributes(&mut self, attrs: Attrs, offset: Offset) -> Parse<()> {
        for (k, v) in attrs {
            let k = k.into_owned();
            // An empty one is read as absent (the writer supplies one), an invalid one refused.
            if (k == "srclang" || k == "adminlang") && !v.trim().is_empty() {
                if let Some(why) = crate::lang::tag::invalid_lang(&v) {
                    return Err(Fail::Fatal(
                        self.error_at(offset, format!("<header {k}>: {why}")),
                    ));
                }
            }
            let date = match k.as_str() {
                "creationdate" | "changedate" => Some(self.date(&k, v.clone(), offset)),
                _ => None,
            };
            let h = &mut self.header;
            match k.as_str() {
                "srclang" => h.srclang = Some(v),
                "adminlang" => h.adminlang = Some(v),
                "creationtool" => h.creationtool = Some(v),
                "creationtoolversion" => h.creationtoolversion = Some(v),
                "segtype" => h.segtype = Some(v),
                "o-tmf" => h.o_tmf = Some(v),
                "datatype" => h.datatype = Some(v),
                "o-encoding" => h.o_encoding = Some(v),
                "creationdate" => h.creationdate = date,
                "changedate" => h.changedate = date,
                _ => h.other_attrs.push((k, v)),
            }
        }
        let h = &self.header;
        let missing: Vec<&str> = [
            ("creationtool", h.creationtool.is_none()),
            ("creationtoolversion", h.creationtoolversion.is_none()),
            ("segtype", h.segtype.is_none()),
            ("o-tmf", h.o_tmf.is_none()),
            ("adminlang", h.adminlang.is_none()),
            ("srclang", h.srclang.is_none()),
            ("datatype", h.datatype.is_none()),
        ]
        .iter()
        .filter(|(_, m)| *m)
        .map(|(n, _)| *n)
        .collect();
        if !missing.is_empty() {
            let msg = format!(
                "<header> lacks required attribute(s) {}; read anyway",
                missing.join(", ")
            );
            self.warn(offset, msg);
        }
        Ok(())
    }

    fn header_children(&mut self, buf: &mut Vec<u8>) -> Parse<()> {
        let (mut props, mut notes) = (Vec::new(), Vec::new());
        loop {
            let (ev, offset) = self.event(buf)?;
            match ev {
                Event::Start(e) | Event::Empty(e) => {
                    let empty = matches!(self.depth, 2);
                    let name = name_of(local(&e));
                    let mut attrs = self.attributes(&e, offset)?;
                    if !self.annotation(
                        buf, &name, &mut attrs, offset, empty, &mut props, &mut notes,
                    )? {
                        self.warn(
                            offset,
                            format!("<{name}> in <header> ignored (bitext keeps prop and note)"),
                        );
                        self.skip_to_depth(buf, 2)?;
                    }
                }
                Event::End(_) => {
                    self.header.props.append(&mut props);
                    self.header.notes.append(&mut notes);
                    return Ok(());
                }
                Event::Comment(_) | Event::PI(_) => {}
                Event::Text(t) if is_blank(&t) => {}
                Event::Eof => return Err(self.truncated(offset, "<header>")),
                _ => {
                    return Err(Fail::Fatal(
                        self.error_at(offset, "text directly inside <header>"),
                    ))
                }
            }
        }
    }

    /// After `</body>`: `</tmx>`, then nothing but comments, PIs and white space.
    pub(super) fn finish(&mut self, buf: &mut Vec<u8>) -> Parse<()> {
        loop {
            let (ev, offset) = self.event(buf)?;
            match ev {
                Event::End(_) if self.depth == 0 => {}
                Event::Eof if self.depth == 0 => return Ok(()),
                Event::Eof => return Err(self.truncated(offset, "<tmx> (no </tmx>)")),
                Event::Comment(_) | Event::PI(_) => {}
                Event::Text(t) if is_blank(&t) => {}
                _ => {
                    return Err(Fail::Fatal(
                        self.error_at(offset, "content after </body>: only </tmx> may follow"),
                    ))
                }
            }
        }
    }
}
