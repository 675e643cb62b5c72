import { describe, expect, it } from 'vitest';
import { parseXml } from '../../src/fhir/validation/dstu2/parseXml.js';
import { xsdToJsonSchema } from '../../src/fhir/validation/dstu2/xsdToJsonSchema.js';

/** A cut-down FHIR XSD with one of each construct the converter maps. */
const XSD = `<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment with <xs:element name="ignored"/> inside -->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xhtml="http://www.w3.org/1999/xhtml">
  <xs:simpleType name="date-primitive">
    <xs:restriction><xs:simpleType><xs:union memberTypes="xs:gYear xs:date"/></xs:simpleType>
      <xs:pattern value="-?[0-9]{4}(-(0[1-9]|1[0-2]))?"/></xs:restriction>
  </xs:simpleType>
  <xs:complexType name="date"><xs:complexContent><xs:extension base="Element">
    <xs:attribute name="value" type="date-primitive" use="optional"/></xs:extension></xs:complexContent></xs:complexType>
  <xs:simpleType name="boolean-primitive"><xs:restriction base="xs:boolean"/></xs:simpleType>
  <xs:complexType name="boolean"><xs:complexContent><xs:extension base="Element">
    <xs:attribute name="value" type="boolean-primitive"/></xs:extension></xs:complexContent></xs:complexType>
  <xs:simpleType name="NarrativeStatus-list"><xs:restriction base="xs:string">
    <xs:enumeration value="generated"/><xs:enumeration value="empty"/></xs:restriction></xs:simpleType>
  <xs:complexType name="NarrativeStatus"><xs:complexContent><xs:extension base="Element">
    <xs:attribute name="value" type="NarrativeStatus-list"/></xs:extension></xs:complexContent></xs:complexType>
  <xs:simpleType name="uri-primitive"><xs:restriction base="xs:anyURI"/></xs:simpleType>
  <xs:complexType name="Element">
    <xs:annotation><xs:documentation>Base &amp; root &lt;type&gt;</xs:documentation></xs:annotation>
    <xs:sequence><xs:element name="extension" type="Extension" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
    <xs:attribute name="id" type="uri-primitive"/>
  </xs:complexType>
  <xs:complexType name="Extension"><xs:complexContent><xs:extension base="Element"><xs:sequence>
    <xs:choice minOccurs="0" maxOccurs="1"><xs:element name="valueBoolean" type="boolean"/><xs:element name="valueDate" type="date"/></xs:choice>
    </xs:sequence><xs:attribute name="url" type="uri-primitive" use="required"/></xs:extension></xs:complexContent></xs:complexType>
  <xs:complexType name="Narrative"><xs:complexContent><xs:extension base="Element"><xs:sequence>
    <xs:element name="status" type="NarrativeStatus" minOccurs="1" maxOccurs="1"/>
    <xs:element ref="xhtml:div" minOccurs="1" maxOccurs="1"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>
  <xs:complexType name="Resource"><xs:sequence><xs:element name="id" type="date" minOccurs="0"/></xs:sequence></xs:complexType>
  <xs:complexType name="Patient.Link"><xs:complexContent><xs:extension base="Element"><xs:sequence>
    <xs:element name="other" type="Narrative"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>
  <xs:complexType name="Patient"><xs:complexContent><xs:extension base="Resource"><xs:sequence>
    <xs:element name="birthDate" type="date" minOccurs="0" maxOccurs="1"/>
    <xs:element name="active" type="boolean" minOccurs="0" maxOccurs="unbounded"/>
    <xs:element name="contained" type="ResourceContainer" minOccurs="0" maxOccurs="unbounded"/>
    <xs:element name="link" type="Patient.Link" minOccurs="0" maxOccurs="1"/>
    </xs:sequence></xs:extension></xs:complexContent></xs:complexType>
  <xs:complexType name="Short"><xs:complexContent><xs:restriction base="Extension"><xs:sequence>
    <xs:element name="valueDate" type="date" minOccurs="1" maxOccurs="1"/></xs:sequence></xs:restriction></xs:complexContent></xs:complexType>
  <xs:complexType name="ResourceContainer"><xs:choice><xs:element ref="Patient"/></xs:choice></xs:complexType>
</xs:schema>`;

describe('xsdToJsonSchema', () => {
  const { definitions } = xsdToJsonSchema(XSD);

  it('turns primitive complex types into JSON values with an _element sibling', () => {
    expect(definitions.Patient).toEqual({
      allOf: [
        { $ref: '#/definitions/Resource' },
        {
          properties: {
            resourceType: { type: 'string', enum: ['Patient'] },
            birthDate: { type: 'string', pattern: '-?[0-9]{4}(-(0[1-9]|1[0-2]))?' },
            _birthDate: { $ref: '#/definitions/Element' },
            active: { type: 'array', items: { type: 'boolean' } },
            _active: { type: 'array', items: { $ref: '#/definitions/Element' } },
            contained: { type: 'array', items: { $ref: '#/definitions/ResourceList' } },
            link: { $ref: '#/definitions/Patient_Link' },
          },
        },
      ],
    });
    expect(definitions.date).toBeUndefined();
  });

  it('maps choices to optional properties, attributes to properties, and keeps required ones', () => {
    const extension = definitions.Extension?.allOf?.[1];
    expect(Object.keys(extension?.properties ?? {})).toEqual(['valueBoolean', '_valueBoolean', 'valueDate', '_valueDate', 'url']);
    expect(extension?.required).toEqual(['url']);
    expect(definitions.Narrative?.allOf?.[1]).toEqual({
      properties: {
        status: { type: 'string', enum: ['generated', 'empty'] },
        _status: { $ref: '#/definitions/Element' },
        div: { type: 'string' },
      },
      required: ['status', 'div'],
    });
  });

  it('treats an element without minOccurs as required, as XSD does', () => {
    expect(definitions.Patient_Link?.allOf?.[1]?.required).toEqual(['other']);
  });

  it('restates a restriction on top of Element, and lists resources from ResourceContainer', () => {
    expect(definitions.Short?.allOf?.[0]).toEqual({ $ref: '#/definitions/Element' });
    expect(definitions.ResourceList).toEqual({ oneOf: [{ $ref: '#/definitions/Patient' }] });
    expect(Object.keys(definitions.Element?.properties ?? {})).toEqual(['fhir_comments', 'extension', 'id']);
  });
});

describe('parseXml', () => {
  it('reads elements and decoded attributes, skipping text, comments and declarations', () => {
    const root = parseXml('<?xml version="1.0"?><!-- <a/> --><a x="1 &lt; 2 &amp; &#x41;" y=\'>\'>text<b/><c></c></a>');
    expect(root).toEqual({
      name: 'a',
      attributes: { x: '1 < 2 & A', y: '>' },
      children: [
        { name: 'b', attributes: {}, children: [] },
        { name: 'c', attributes: {}, children: [] },
      ],
    });
  });

  it('refuses mismatched or unclosed tags', () => {
    expect(() => parseXml('<a><b></a>')).toThrow(SyntaxError);
    expect(() => parseXml('<a>')).toThrow(/never closed/);
  });
});
