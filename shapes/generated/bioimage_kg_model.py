# id: https://w3id.org/bioimage-kg/schema
# description: The whole context of a microscopy image as one LinkML schema: the REMBI study it belongs to (rembi.yaml), the microscope that made it following the 4DN-BINA-OME tiers (instrument.yaml) and the provenance of the analyses run on it (provenance.yaml), with the shared classes in core.yaml. Generated artefacts are in shapes/generated/ (tools/generate_schema.py); the profile shapes kg validate --profile uses are in shapes/profiles/. See docs/schema.md.
# license: Apache-2.0

import dataclasses
import re
from dataclasses import dataclass
from datetime import (
    date,
    datetime,
    time
)
from typing import (
    Any,
    ClassVar,
    Dict,
    List,
    Optional,
    Union
)

from jsonasobj2 import (
    JsonObj,
    as_dict
)
from linkml_runtime.linkml_model.meta import (
    EnumDefinition,
    PermissibleValue,
    PvFormulaOptions
)
from linkml_runtime.utils.curienamespace import CurieNamespace
from linkml_runtime.utils.enumerations import EnumDefinitionImpl
from linkml_runtime.utils.formatutils import (
    camelcase,
    sfx,
    underscore
)
from linkml_runtime.utils.metamodelcore import (
    bnode,
    empty_dict,
    empty_list
)
from linkml_runtime.utils.slot import Slot
from linkml_runtime.utils.yamlutils import (
    YAMLRoot,
    extended_float,
    extended_int,
    extended_str
)
from rdflib import (
    Namespace,
    URIRef
)

from linkml_runtime.linkml_model.types import Boolean, Date, Datetime, Double, Integer, String, Uri, Uriorcurie
from linkml_runtime.utils.metamodelcore import Bool, URI, URIorCURIE, XSDDate, XSDDateTime

metamodel_version = "1.11.0"
version = "0.1.0"

# Namespaces
EDAM = CurieNamespace('EDAM', 'http://edamontology.org/')
FBBI = CurieNamespace('FBbi', 'http://purl.obolibrary.org/obo/FBbi_')
NCBITAXON = CurieNamespace('NCBITaxon', 'http://purl.obolibrary.org/obo/NCBITaxon_')
OBI = CurieNamespace('OBI', 'http://purl.obolibrary.org/obo/OBI_')
BKG = CurieNamespace('bkg', 'https://w3id.org/bioimage-kg/vocab/')
DCT = CurieNamespace('dct', 'http://purl.org/dc/terms/')
LINKML = CurieNamespace('linkml', 'https://w3id.org/linkml/')
OBO = CurieNamespace('obo', 'http://purl.obolibrary.org/obo/')
OME = CurieNamespace('ome', 'https://ld.openmicroscopy.org/core/')
ORCID = CurieNamespace('orcid', 'https://orcid.org/')
PROV = CurieNamespace('prov', 'http://www.w3.org/ns/prov#')
QUDT = CurieNamespace('qudt', 'http://qudt.org/schema/qudt/')
RDFS = CurieNamespace('rdfs', 'http://www.w3.org/2000/01/rdf-schema#')
ROR = CurieNamespace('ror', 'https://ror.org/')
SCHEMA = CurieNamespace('schema', 'http://schema.org/')
UNIT = CurieNamespace('unit', 'http://qudt.org/vocab/unit/')
WFRUN = CurieNamespace('wfrun', 'https://w3id.org/ro/terms/workflow-run#')
XSD = CurieNamespace('xsd', 'http://www.w3.org/2001/XMLSchema#')
DEFAULT_ = BKG


# Types

# Class references
class ThingId(URIorCURIE):
    pass


class PersonId(ThingId):
    pass


class OrganisationId(ThingId):
    pass


class FileId(ThingId):
    pass


class StudyId(ThingId):
    pass


class PublicationId(ThingId):
    pass


class GrantId(ThingId):
    pass


class StudyComponentId(ThingId):
    pass


class BiosampleId(ThingId):
    pass


class SpecimenId(ThingId):
    pass


class ImageAcquisitionId(ThingId):
    pass


class ImageDataId(ThingId):
    pass


class ImageCorrelationId(ThingId):
    pass


class AnalysedDataId(ThingId):
    pass


class AnnotationsId(ThingId):
    pass


class InstrumentId(ThingId):
    pass


class MicroscopeStandId(ThingId):
    pass


class ObjectiveId(ThingId):
    pass


class LightSourceId(ThingId):
    pass


class LaserId(LightSourceId):
    pass


class ArcId(LightSourceId):
    pass


class FilamentId(LightSourceId):
    pass


class LightEmittingDiodeId(LightSourceId):
    pass


class DetectorId(ThingId):
    pass


class FilterId(ThingId):
    pass


class DichroicId(ThingId):
    pass


class FilterSetId(ThingId):
    pass


class OpticalCalibrationId(ThingId):
    pass


class AnalysisRunId(ThingId):
    pass


class SoftwareApplicationId(ThingId):
    pass


class ModelWeightsId(FileId):
    pass


@dataclass(repr=False)
class Thing(YAMLRoot):
    """
    Anything with its own IRI in the graph.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = BKG["Thing"]
    class_class_curie: ClassVar[str] = "bkg:Thing"
    class_name: ClassVar[str] = "Thing"
    class_model_uri: ClassVar[URIRef] = BKG.Thing

    id: Union[str, ThingId] = None
    name: Optional[str] = None
    description: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, ThingId):
            self.id = ThingId(self.id)

        if self.name is not None and not isinstance(self.name, str):
            self.name = str(self.name)

        if self.description is not None and not isinstance(self.description, str):
            self.description = str(self.description)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class QuantityValue(YAMLRoot):
    """
    A number with a unit, as in the OME mapping (a qudt:QuantityValue with a QUDT unit IRI).
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = QUDT["QuantityValue"]
    class_class_curie: ClassVar[str] = "qudt:QuantityValue"
    class_name: ClassVar[str] = "QuantityValue"
    class_model_uri: ClassVar[URIRef] = BKG.QuantityValue

    numeric_value: float = None
    unit: Union[str, URIorCURIE] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.numeric_value):
            self.MissingRequiredField("numeric_value")
        if not isinstance(self.numeric_value, float):
            self.numeric_value = float(self.numeric_value)

        if self._is_empty(self.unit):
            self.MissingRequiredField("unit")
        if not isinstance(self.unit, URIorCURIE):
            self.unit = URIorCURIE(self.unit)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class Person(Thing):
    """
    A person (an author of a study, the agent of an analysis run).
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = SCHEMA["Person"]
    class_class_curie: ClassVar[str] = "schema:Person"
    class_name: ClassVar[str] = "Person"
    class_model_uri: ClassVar[URIRef] = BKG.Person

    id: Union[str, PersonId] = None
    orcid: Optional[Union[str, URIorCURIE]] = None
    email: Optional[str] = None
    affiliations: Optional[Union[dict[Union[str, OrganisationId], Union[dict, "Organisation"]], list[Union[dict, "Organisation"]]]] = empty_dict()
    roles: Optional[Union[str, list[str]]] = empty_list()

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, PersonId):
            self.id = PersonId(self.id)

        if self.orcid is not None and not isinstance(self.orcid, URIorCURIE):
            self.orcid = URIorCURIE(self.orcid)

        if self.email is not None and not isinstance(self.email, str):
            self.email = str(self.email)

        self._normalize_inlined_as_list(slot_name="affiliations", slot_type=Organisation, key_name="id", keyed=True)

        if not isinstance(self.roles, list):
            self.roles = [self.roles] if self.roles is not None else []
        self.roles = [v if isinstance(v, str) else str(v) for v in self.roles]

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class Organisation(Thing):
    """
    An organisation (an affiliation, a funder).
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = SCHEMA["Organization"]
    class_class_curie: ClassVar[str] = "schema:Organization"
    class_name: ClassVar[str] = "Organisation"
    class_model_uri: ClassVar[URIRef] = BKG.Organisation

    id: Union[str, OrganisationId] = None
    ror: Optional[Union[str, URIorCURIE]] = None
    address: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, OrganisationId):
            self.id = OrganisationId(self.id)

        if self.ror is not None and not isinstance(self.ror, URIorCURIE):
            self.ror = URIorCURIE(self.ror)

        if self.address is not None and not isinstance(self.address, str):
            self.address = str(self.address)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class File(Thing):
    """
    A file (an image file, an analysis input or output). Checksums use the Workflow Run RO-Crate terms (wfrun:sha256,
    wfrun:md5), hex strings.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = SCHEMA["MediaObject"]
    class_class_curie: ClassVar[str] = "schema:MediaObject"
    class_name: ClassVar[str] = "File"
    class_model_uri: ClassVar[URIRef] = BKG.File

    id: Union[str, FileId] = None
    path: Optional[str] = None
    sha256: Optional[str] = None
    md5: Optional[str] = None
    size_bytes: Optional[int] = None
    encoding_format: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, FileId):
            self.id = FileId(self.id)

        if self.path is not None and not isinstance(self.path, str):
            self.path = str(self.path)

        if self.sha256 is not None and not isinstance(self.sha256, str):
            self.sha256 = str(self.sha256)

        if self.md5 is not None and not isinstance(self.md5, str):
            self.md5 = str(self.md5)

        if self.size_bytes is not None and not isinstance(self.size_bytes, int):
            self.size_bytes = int(self.size_bytes)

        if self.encoding_format is not None and not isinstance(self.encoding_format, str):
            self.encoding_format = str(self.encoding_format)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class Study(Thing):
    """
    A piece of scientific work that produced imaging data: what was studied, by whom, under which licence (REMBI
    "Study").
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = BKG["Study"]
    class_class_curie: ClassVar[str] = "bkg:Study"
    class_name: ClassVar[str] = "Study"
    class_model_uri: ClassVar[URIRef] = BKG.Study

    id: Union[str, StudyId] = None
    title: str = None
    authors: Union[dict[Union[str, PersonId], Union[dict, Person]], list[Union[dict, Person]]] = empty_dict()
    license: str = None
    components: Union[dict[Union[str, StudyComponentId], Union[dict, "StudyComponent"]], list[Union[dict, "StudyComponent"]]] = empty_dict()
    description: str = None
    accession: Optional[str] = None
    keywords: Optional[Union[str, list[str]]] = empty_list()
    release_date: Optional[Union[str, XSDDate]] = None
    funding: Optional[Union[dict[Union[str, GrantId], Union[dict, "Grant"]], list[Union[dict, "Grant"]]]] = empty_dict()
    publications: Optional[Union[dict[Union[str, PublicationId], Union[dict, "Publication"]], list[Union[dict, "Publication"]]]] = empty_dict()
    acknowledgements: Optional[str] = None
    see_also: Optional[Union[Union[str, URI], list[Union[str, URI]]]] = empty_list()

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, StudyId):
            self.id = StudyId(self.id)

        if self._is_empty(self.title):
            self.MissingRequiredField("title")
        if not isinstance(self.title, str):
            self.title = str(self.title)

        if self._is_empty(self.authors):
            self.MissingRequiredField("authors")
        self._normalize_inlined_as_list(slot_name="authors", slot_type=Person, key_name="id", keyed=True)

        if self._is_empty(self.license):
            self.MissingRequiredField("license")
        if not isinstance(self.license, str):
            self.license = str(self.license)

        if self._is_empty(self.components):
            self.MissingRequiredField("components")
        self._normalize_inlined_as_list(slot_name="components", slot_type=StudyComponent, key_name="id", keyed=True)

        if self._is_empty(self.description):
            self.MissingRequiredField("description")
        if not isinstance(self.description, str):
            self.description = str(self.description)

        if self.accession is not None and not isinstance(self.accession, str):
            self.accession = str(self.accession)

        if not isinstance(self.keywords, list):
            self.keywords = [self.keywords] if self.keywords is not None else []
        self.keywords = [v if isinstance(v, str) else str(v) for v in self.keywords]

        if self.release_date is not None and not isinstance(self.release_date, XSDDate):
            self.release_date = XSDDate(self.release_date)

        self._normalize_inlined_as_list(slot_name="funding", slot_type=Grant, key_name="id", keyed=True)

        self._normalize_inlined_as_list(slot_name="publications", slot_type=Publication, key_name="id", keyed=True)

        if self.acknowledgements is not None and not isinstance(self.acknowledgements, str):
            self.acknowledgements = str(self.acknowledgements)

        if not isinstance(self.see_also, list):
            self.see_also = [self.see_also] if self.see_also is not None else []
        self.see_also = [v if isinstance(v, URI) else URI(v) for v in self.see_also]

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class Publication(Thing):
    """
    A publication related to a study.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = SCHEMA["ScholarlyArticle"]
    class_class_curie: ClassVar[str] = "schema:ScholarlyArticle"
    class_name: ClassVar[str] = "Publication"
    class_model_uri: ClassVar[URIRef] = BKG.Publication

    id: Union[str, PublicationId] = None
    title: Optional[str] = None
    author_names: Optional[str] = None
    year: Optional[int] = None
    doi: Optional[str] = None
    pubmed_id: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, PublicationId):
            self.id = PublicationId(self.id)

        if self.title is not None and not isinstance(self.title, str):
            self.title = str(self.title)

        if self.author_names is not None and not isinstance(self.author_names, str):
            self.author_names = str(self.author_names)

        if self.year is not None and not isinstance(self.year, int):
            self.year = int(self.year)

        if self.doi is not None and not isinstance(self.doi, str):
            self.doi = str(self.doi)

        if self.pubmed_id is not None and not isinstance(self.pubmed_id, str):
            self.pubmed_id = str(self.pubmed_id)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class Grant(Thing):
    """
    A grant that funded a study.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = SCHEMA["Grant"]
    class_class_curie: ClassVar[str] = "schema:Grant"
    class_name: ClassVar[str] = "Grant"
    class_model_uri: ClassVar[URIRef] = BKG.Grant

    id: Union[str, GrantId] = None
    grant_id: Optional[str] = None
    funder: Optional[Union[dict, Organisation]] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, GrantId):
            self.id = GrantId(self.id)

        if self.grant_id is not None and not isinstance(self.grant_id, str):
            self.grant_id = str(self.grant_id)

        if self.funder is not None and not isinstance(self.funder, Organisation):
            self.funder = Organisation(**as_dict(self.funder))

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class StudyComponent(Thing):
    """
    One experiment of a study: the biosamples, specimens and acquisitions it used and the image data, correlations,
    analyses and annotations it produced (REMBI "Study Component").
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = BKG["StudyComponent"]
    class_class_curie: ClassVar[str] = "bkg:StudyComponent"
    class_name: ClassVar[str] = "StudyComponent"
    class_model_uri: ClassVar[URIRef] = BKG.StudyComponent

    id: Union[str, StudyComponentId] = None
    name: str = None
    description: str = None
    biosamples: Optional[Union[dict[Union[str, BiosampleId], Union[dict, "Biosample"]], list[Union[dict, "Biosample"]]]] = empty_dict()
    specimens: Optional[Union[dict[Union[str, SpecimenId], Union[dict, "Specimen"]], list[Union[dict, "Specimen"]]]] = empty_dict()
    image_acquisitions: Optional[Union[dict[Union[str, ImageAcquisitionId], Union[dict, "ImageAcquisition"]], list[Union[dict, "ImageAcquisition"]]]] = empty_dict()
    image_data: Optional[Union[dict[Union[str, ImageDataId], Union[dict, "ImageData"]], list[Union[dict, "ImageData"]]]] = empty_dict()
    image_correlations: Optional[Union[dict[Union[str, ImageCorrelationId], Union[dict, "ImageCorrelation"]], list[Union[dict, "ImageCorrelation"]]]] = empty_dict()
    analysed_data: Optional[Union[dict[Union[str, AnalysedDataId], Union[dict, "AnalysedData"]], list[Union[dict, "AnalysedData"]]]] = empty_dict()
    annotation_sets: Optional[Union[dict[Union[str, AnnotationsId], Union[dict, "Annotations"]], list[Union[dict, "Annotations"]]]] = empty_dict()

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, StudyComponentId):
            self.id = StudyComponentId(self.id)

        if self._is_empty(self.name):
            self.MissingRequiredField("name")
        if not isinstance(self.name, str):
            self.name = str(self.name)

        if self._is_empty(self.description):
            self.MissingRequiredField("description")
        if not isinstance(self.description, str):
            self.description = str(self.description)

        self._normalize_inlined_as_list(slot_name="biosamples", slot_type=Biosample, key_name="id", keyed=True)

        self._normalize_inlined_as_list(slot_name="specimens", slot_type=Specimen, key_name="id", keyed=True)

        self._normalize_inlined_as_list(slot_name="image_acquisitions", slot_type=ImageAcquisition, key_name="id", keyed=True)

        self._normalize_inlined_as_list(slot_name="image_data", slot_type=ImageData, key_name="id", keyed=True)

        self._normalize_inlined_as_list(slot_name="image_correlations", slot_type=ImageCorrelation, key_name="id", keyed=True)

        self._normalize_inlined_as_list(slot_name="analysed_data", slot_type=AnalysedData, key_name="id", keyed=True)

        self._normalize_inlined_as_list(slot_name="annotation_sets", slot_type=Annotations, key_name="id", keyed=True)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class Biosample(Thing):
    """
    The biological material that was imaged, before preparation: organism, biological entity and the variables of the
    experiment (REMBI "Biosample").
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = BKG["Biosample"]
    class_class_curie: ClassVar[str] = "bkg:Biosample"
    class_name: ClassVar[str] = "Biosample"
    class_model_uri: ClassVar[URIRef] = BKG.Biosample

    id: Union[str, BiosampleId] = None
    organism_name: str = None
    biological_entity: str = None
    name: str = None
    organism: Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]] = empty_list()
    intrinsic_variables: Optional[Union[str, list[str]]] = empty_list()
    extrinsic_variables: Optional[Union[str, list[str]]] = empty_list()
    experimental_variables: Optional[Union[str, list[str]]] = empty_list()
    description: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, BiosampleId):
            self.id = BiosampleId(self.id)

        if self._is_empty(self.organism_name):
            self.MissingRequiredField("organism_name")
        if not isinstance(self.organism_name, str):
            self.organism_name = str(self.organism_name)

        if self._is_empty(self.biological_entity):
            self.MissingRequiredField("biological_entity")
        if not isinstance(self.biological_entity, str):
            self.biological_entity = str(self.biological_entity)

        if self._is_empty(self.name):
            self.MissingRequiredField("name")
        if not isinstance(self.name, str):
            self.name = str(self.name)

        if not isinstance(self.organism, list):
            self.organism = [self.organism] if self.organism is not None else []
        self.organism = [v if isinstance(v, URIorCURIE) else URIorCURIE(v) for v in self.organism]

        if not isinstance(self.intrinsic_variables, list):
            self.intrinsic_variables = [self.intrinsic_variables] if self.intrinsic_variables is not None else []
        self.intrinsic_variables = [v if isinstance(v, str) else str(v) for v in self.intrinsic_variables]

        if not isinstance(self.extrinsic_variables, list):
            self.extrinsic_variables = [self.extrinsic_variables] if self.extrinsic_variables is not None else []
        self.extrinsic_variables = [v if isinstance(v, str) else str(v) for v in self.extrinsic_variables]

        if not isinstance(self.experimental_variables, list):
            self.experimental_variables = [self.experimental_variables] if self.experimental_variables is not None else []
        self.experimental_variables = [v if isinstance(v, str) else str(v) for v in self.experimental_variables]

        if self.description is not None and not isinstance(self.description, str):
            self.description = str(self.description)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class Specimen(Thing):
    """
    How a biosample was prepared for imaging: the preparation protocol, the growth protocol and how signal or contrast
    were generated (REMBI "Specimen").
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = BKG["Specimen"]
    class_class_curie: ClassVar[str] = "bkg:Specimen"
    class_name: ClassVar[str] = "Specimen"
    class_model_uri: ClassVar[URIRef] = BKG.Specimen

    id: Union[str, SpecimenId] = None
    sample_preparation_protocol: str = None
    growth_protocol: Optional[str] = None
    signal_channels: Optional[Union[Union[dict, "SignalChannel"], list[Union[dict, "SignalChannel"]]]] = empty_list()
    biosample: Optional[Union[str, BiosampleId]] = None
    name: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, SpecimenId):
            self.id = SpecimenId(self.id)

        if self._is_empty(self.sample_preparation_protocol):
            self.MissingRequiredField("sample_preparation_protocol")
        if not isinstance(self.sample_preparation_protocol, str):
            self.sample_preparation_protocol = str(self.sample_preparation_protocol)

        if self.growth_protocol is not None and not isinstance(self.growth_protocol, str):
            self.growth_protocol = str(self.growth_protocol)

        self._normalize_inlined_as_list(slot_name="signal_channels", slot_type=SignalChannel, key_name="signal_contrast_mechanism", keyed=False)

        if self.biosample is not None and not isinstance(self.biosample, BiosampleId):
            self.biosample = BiosampleId(self.biosample)

        if self.name is not None and not isinstance(self.name, str):
            self.name = str(self.name)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class SignalChannel(YAMLRoot):
    """
    How one channel's signal or contrast is generated and what it shows.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = BKG["SignalChannel"]
    class_class_curie: ClassVar[str] = "bkg:SignalChannel"
    class_name: ClassVar[str] = "SignalChannel"
    class_model_uri: ClassVar[URIRef] = BKG.SignalChannel

    signal_contrast_mechanism: str = None
    channel_content: Optional[str] = None
    channel_biological_entity: Optional[str] = None
    channel_label: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.signal_contrast_mechanism):
            self.MissingRequiredField("signal_contrast_mechanism")
        if not isinstance(self.signal_contrast_mechanism, str):
            self.signal_contrast_mechanism = str(self.signal_contrast_mechanism)

        if self.channel_content is not None and not isinstance(self.channel_content, str):
            self.channel_content = str(self.channel_content)

        if self.channel_biological_entity is not None and not isinstance(self.channel_biological_entity, str):
            self.channel_biological_entity = str(self.channel_biological_entity)

        if self.channel_label is not None and not isinstance(self.channel_label, str):
            self.channel_label = str(self.channel_label)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class ImageAcquisition(Thing):
    """
    How the images were acquired: the instrument, the imaging method and the acquisition parameters (REMBI "Image
    acquisition").
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = BKG["ImageAcquisition"]
    class_class_curie: ClassVar[str] = "bkg:ImageAcquisition"
    class_name: ClassVar[str] = "ImageAcquisition"
    class_model_uri: ClassVar[URIRef] = BKG.ImageAcquisition

    id: Union[str, ImageAcquisitionId] = None
    instrument_description: str = None
    imaging_method_name: Union[str, list[str]] = None
    instrument: Optional[Union[str, URIorCURIE]] = None
    imaging_method: Optional[Union[Union[str, "ImagingMethod"], list[Union[str, "ImagingMethod"]]]] = empty_list()
    acquisition_parameters: Optional[str] = None
    name: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, ImageAcquisitionId):
            self.id = ImageAcquisitionId(self.id)

        if self._is_empty(self.instrument_description):
            self.MissingRequiredField("instrument_description")
        if not isinstance(self.instrument_description, str):
            self.instrument_description = str(self.instrument_description)

        if self._is_empty(self.imaging_method_name):
            self.MissingRequiredField("imaging_method_name")
        if not isinstance(self.imaging_method_name, list):
            self.imaging_method_name = [self.imaging_method_name] if self.imaging_method_name is not None else []
        self.imaging_method_name = [v if isinstance(v, str) else str(v) for v in self.imaging_method_name]

        if self.instrument is not None and not isinstance(self.instrument, URIorCURIE):
            self.instrument = URIorCURIE(self.instrument)

        if not isinstance(self.imaging_method, list):
            self.imaging_method = [self.imaging_method] if self.imaging_method is not None else []
        self.imaging_method = [v if isinstance(v, ImagingMethod) else ImagingMethod(v) for v in self.imaging_method]

        if self.acquisition_parameters is not None and not isinstance(self.acquisition_parameters, str):
            self.acquisition_parameters = str(self.acquisition_parameters)

        if self.name is not None and not isinstance(self.name, str):
            self.name = str(self.name)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class ImageData(Thing):
    """
    A set of images of one study component with what links them to their biosample, specimen and acquisition (REMBI
    "Image data" and its association).
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = BKG["ImageData"]
    class_class_curie: ClassVar[str] = "bkg:ImageData"
    class_name: ClassVar[str] = "ImageData"
    class_model_uri: ClassVar[URIRef] = BKG.ImageData

    id: Union[str, ImageDataId] = None
    biosample: Optional[Union[str, BiosampleId]] = None
    specimen: Optional[Union[str, SpecimenId]] = None
    acquisition: Optional[Union[str, ImageAcquisitionId]] = None
    files: Optional[Union[dict[Union[str, FileId], Union[dict, File]], list[Union[dict, File]]]] = empty_dict()
    ome_images: Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]] = empty_list()
    name: Optional[str] = None
    description: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, ImageDataId):
            self.id = ImageDataId(self.id)

        if self.biosample is not None and not isinstance(self.biosample, BiosampleId):
            self.biosample = BiosampleId(self.biosample)

        if self.specimen is not None and not isinstance(self.specimen, SpecimenId):
            self.specimen = SpecimenId(self.specimen)

        if self.acquisition is not None and not isinstance(self.acquisition, ImageAcquisitionId):
            self.acquisition = ImageAcquisitionId(self.acquisition)

        self._normalize_inlined_as_list(slot_name="files", slot_type=File, key_name="id", keyed=True)

        if not isinstance(self.ome_images, list):
            self.ome_images = [self.ome_images] if self.ome_images is not None else []
        self.ome_images = [v if isinstance(v, URIorCURIE) else URIorCURIE(v) for v in self.ome_images]

        if self.name is not None and not isinstance(self.name, str):
            self.name = str(self.name)

        if self.description is not None and not isinstance(self.description, str):
            self.description = str(self.description)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class ImageCorrelation(Thing):
    """
    How images were registered to each other (REMBI "Image correlation").
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = BKG["ImageCorrelation"]
    class_class_curie: ClassVar[str] = "bkg:ImageCorrelation"
    class_name: ClassVar[str] = "ImageCorrelation"
    class_model_uri: ClassVar[URIRef] = BKG.ImageCorrelation

    id: Union[str, ImageCorrelationId] = None
    spatial_temporal_alignment: str = None
    fiducials: Optional[str] = None
    transformation_matrix: Optional[str] = None
    related_images: Optional[Union[Union[str, ImageDataId], list[Union[str, ImageDataId]]]] = empty_list()

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, ImageCorrelationId):
            self.id = ImageCorrelationId(self.id)

        if self._is_empty(self.spatial_temporal_alignment):
            self.MissingRequiredField("spatial_temporal_alignment")
        if not isinstance(self.spatial_temporal_alignment, str):
            self.spatial_temporal_alignment = str(self.spatial_temporal_alignment)

        if self.fiducials is not None and not isinstance(self.fiducials, str):
            self.fiducials = str(self.fiducials)

        if self.transformation_matrix is not None and not isinstance(self.transformation_matrix, str):
            self.transformation_matrix = str(self.transformation_matrix)

        if not isinstance(self.related_images, list):
            self.related_images = [self.related_images] if self.related_images is not None else []
        self.related_images = [v if isinstance(v, ImageDataId) else ImageDataId(v) for v in self.related_images]

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class AnalysedData(Thing):
    """
    Data derived from the images by analysis (REMBI "Analysed data").
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = BKG["AnalysedData"]
    class_class_curie: ClassVar[str] = "bkg:AnalysedData"
    class_name: ClassVar[str] = "AnalysedData"
    class_model_uri: ClassVar[URIRef] = BKG.AnalysedData

    id: Union[str, AnalysedDataId] = None
    description: str = None
    analysis_type: Optional[str] = None
    files: Optional[Union[dict[Union[str, FileId], Union[dict, File]], list[Union[dict, File]]]] = empty_dict()
    generated_by: Optional[Union[str, AnalysisRunId]] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, AnalysedDataId):
            self.id = AnalysedDataId(self.id)

        if self._is_empty(self.description):
            self.MissingRequiredField("description")
        if not isinstance(self.description, str):
            self.description = str(self.description)

        if self.analysis_type is not None and not isinstance(self.analysis_type, str):
            self.analysis_type = str(self.analysis_type)

        self._normalize_inlined_as_list(slot_name="files", slot_type=File, key_name="id", keyed=True)

        if self.generated_by is not None and not isinstance(self.generated_by, AnalysisRunId):
            self.generated_by = AnalysisRunId(self.generated_by)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class Annotations(Thing):
    """
    Annotations made on the images (REMBI "Annotations").
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = BKG["AnnotationSet"]
    class_class_curie: ClassVar[str] = "bkg:AnnotationSet"
    class_name: ClassVar[str] = "Annotations"
    class_model_uri: ClassVar[URIRef] = BKG.Annotations

    id: Union[str, AnnotationsId] = None
    annotation_types: Union[Union[str, "AnnotationType"], list[Union[str, "AnnotationType"]]] = None
    annotation_method: str = None
    description: str = None
    annotation_criteria: Optional[str] = None
    annotation_coverage: Optional[str] = None
    annotation_confidence: Optional[str] = None
    files: Optional[Union[dict[Union[str, FileId], Union[dict, File]], list[Union[dict, File]]]] = empty_dict()

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, AnnotationsId):
            self.id = AnnotationsId(self.id)

        if self._is_empty(self.annotation_types):
            self.MissingRequiredField("annotation_types")
        if not isinstance(self.annotation_types, list):
            self.annotation_types = [self.annotation_types] if self.annotation_types is not None else []
        self.annotation_types = [v if isinstance(v, AnnotationType) else AnnotationType(v) for v in self.annotation_types]

        if self._is_empty(self.annotation_method):
            self.MissingRequiredField("annotation_method")
        if not isinstance(self.annotation_method, str):
            self.annotation_method = str(self.annotation_method)

        if self._is_empty(self.description):
            self.MissingRequiredField("description")
        if not isinstance(self.description, str):
            self.description = str(self.description)

        if self.annotation_criteria is not None and not isinstance(self.annotation_criteria, str):
            self.annotation_criteria = str(self.annotation_criteria)

        if self.annotation_coverage is not None and not isinstance(self.annotation_coverage, str):
            self.annotation_coverage = str(self.annotation_coverage)

        if self.annotation_confidence is not None and not isinstance(self.annotation_confidence, str):
            self.annotation_confidence = str(self.annotation_confidence)

        self._normalize_inlined_as_list(slot_name="files", slot_type=File, key_name="id", keyed=True)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class ManufacturerSpecs(YAMLRoot):
    """
    What identifies a piece of hardware (NBO "ManufacturerSpecs").
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = BKG["ManufacturerSpecs"]
    class_class_curie: ClassVar[str] = "bkg:ManufacturerSpecs"
    class_name: ClassVar[str] = "ManufacturerSpecs"
    class_model_uri: ClassVar[URIRef] = BKG.ManufacturerSpecs

    manufacturer: Optional[str] = None
    model: Optional[str] = None
    catalog_number: Optional[str] = None
    serial_number: Optional[str] = None
    lot_number: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self.manufacturer is not None and not isinstance(self.manufacturer, str):
            self.manufacturer = str(self.manufacturer)

        if self.model is not None and not isinstance(self.model, str):
            self.model = str(self.model)

        if self.catalog_number is not None and not isinstance(self.catalog_number, str):
            self.catalog_number = str(self.catalog_number)

        if self.serial_number is not None and not isinstance(self.serial_number, str):
            self.serial_number = str(self.serial_number)

        if self.lot_number is not None and not isinstance(self.lot_number, str):
            self.lot_number = str(self.lot_number)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class Instrument(Thing):
    """
    A microscope and all its components (NBO and OME "Instrument").
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = OME["Instrument"]
    class_class_curie: ClassVar[str] = "ome:Instrument"
    class_name: ClassVar[str] = "Instrument"
    class_model_uri: ClassVar[URIRef] = BKG.Instrument

    id: Union[str, InstrumentId] = None
    microscope: Optional[Union[dict, "MicroscopeStand"]] = None
    objectives: Optional[Union[dict[Union[str, ObjectiveId], Union[dict, "Objective"]], list[Union[dict, "Objective"]]]] = empty_dict()
    lasers: Optional[Union[dict[Union[str, LaserId], Union[dict, "Laser"]], list[Union[dict, "Laser"]]]] = empty_dict()
    arcs: Optional[Union[dict[Union[str, ArcId], Union[dict, "Arc"]], list[Union[dict, "Arc"]]]] = empty_dict()
    filaments: Optional[Union[dict[Union[str, FilamentId], Union[dict, "Filament"]], list[Union[dict, "Filament"]]]] = empty_dict()
    light_emitting_diodes: Optional[Union[dict[Union[str, LightEmittingDiodeId], Union[dict, "LightEmittingDiode"]], list[Union[dict, "LightEmittingDiode"]]]] = empty_dict()
    detectors: Optional[Union[dict[Union[str, DetectorId], Union[dict, "Detector"]], list[Union[dict, "Detector"]]]] = empty_dict()
    filters: Optional[Union[dict[Union[str, FilterId], Union[dict, "Filter"]], list[Union[dict, "Filter"]]]] = empty_dict()
    dichroics: Optional[Union[dict[Union[str, DichroicId], Union[dict, "Dichroic"]], list[Union[dict, "Dichroic"]]]] = empty_dict()
    filter_sets: Optional[Union[dict[Union[str, FilterSetId], Union[dict, "FilterSet"]], list[Union[dict, "FilterSet"]]]] = empty_dict()
    calibrations: Optional[Union[dict[Union[str, OpticalCalibrationId], Union[dict, "OpticalCalibration"]], list[Union[dict, "OpticalCalibration"]]]] = empty_dict()
    name: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, InstrumentId):
            self.id = InstrumentId(self.id)

        if self.microscope is not None and not isinstance(self.microscope, MicroscopeStand):
            self.microscope = MicroscopeStand(**as_dict(self.microscope))

        self._normalize_inlined_as_list(slot_name="objectives", slot_type=Objective, key_name="id", keyed=True)

        self._normalize_inlined_as_list(slot_name="lasers", slot_type=Laser, key_name="id", keyed=True)

        self._normalize_inlined_as_list(slot_name="arcs", slot_type=Arc, key_name="id", keyed=True)

        self._normalize_inlined_as_list(slot_name="filaments", slot_type=Filament, key_name="id", keyed=True)

        self._normalize_inlined_as_list(slot_name="light_emitting_diodes", slot_type=LightEmittingDiode, key_name="id", keyed=True)

        self._normalize_inlined_as_list(slot_name="detectors", slot_type=Detector, key_name="id", keyed=True)

        self._normalize_inlined_as_list(slot_name="filters", slot_type=Filter, key_name="id", keyed=True)

        self._normalize_inlined_as_list(slot_name="dichroics", slot_type=Dichroic, key_name="id", keyed=True)

        self._normalize_inlined_as_list(slot_name="filter_sets", slot_type=FilterSet, key_name="id", keyed=True)

        self._normalize_inlined_as_list(slot_name="calibrations", slot_type=OpticalCalibration, key_name="id", keyed=True)

        if self.name is not None and not isinstance(self.name, str):
            self.name = str(self.name)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class MicroscopeStand(Thing):
    """
    The microscope stand (NBO "MicroscopeStand", OME "Microscope").
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = OME["Microscope"]
    class_class_curie: ClassVar[str] = "ome:Microscope"
    class_name: ClassVar[str] = "MicroscopeStand"
    class_model_uri: ClassVar[URIRef] = BKG.MicroscopeStand

    id: Union[str, MicroscopeStandId] = None
    type: Optional[Union[str, "MicroscopeType"]] = None
    origin: Optional[Union[str, "StandOrigin"]] = None
    eyepiece_field_number: Optional[float] = None
    manufacturer: Optional[str] = None
    model: Optional[str] = None
    catalog_number: Optional[str] = None
    serial_number: Optional[str] = None
    lot_number: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, MicroscopeStandId):
            self.id = MicroscopeStandId(self.id)

        if self.type is not None and not isinstance(self.type, MicroscopeType):
            self.type = MicroscopeType(self.type)

        if self.origin is not None and not isinstance(self.origin, StandOrigin):
            self.origin = StandOrigin(self.origin)

        if self.eyepiece_field_number is not None and not isinstance(self.eyepiece_field_number, float):
            self.eyepiece_field_number = float(self.eyepiece_field_number)

        if self.manufacturer is not None and not isinstance(self.manufacturer, str):
            self.manufacturer = str(self.manufacturer)

        if self.model is not None and not isinstance(self.model, str):
            self.model = str(self.model)

        if self.catalog_number is not None and not isinstance(self.catalog_number, str):
            self.catalog_number = str(self.catalog_number)

        if self.serial_number is not None and not isinstance(self.serial_number, str):
            self.serial_number = str(self.serial_number)

        if self.lot_number is not None and not isinstance(self.lot_number, str):
            self.lot_number = str(self.lot_number)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class Objective(Thing):
    """
    An objective lens.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = OME["Objective"]
    class_class_curie: ClassVar[str] = "ome:Objective"
    class_name: ClassVar[str] = "Objective"
    class_model_uri: ClassVar[URIRef] = BKG.Objective

    id: Union[str, ObjectiveId] = None
    nominal_magnification: Optional[float] = None
    lens_na: Optional[float] = None
    correction: Optional[Union[str, "Correction"]] = None
    immersion: Optional[Union[str, "Immersion"]] = None
    infinity_corrected: Optional[Union[bool, Bool]] = None
    working_distance: Optional[Union[dict, QuantityValue]] = None
    iris: Optional[Union[bool, Bool]] = None
    calibrated_magnification: Optional[float] = None
    field_number: Optional[float] = None
    manufacturer: Optional[str] = None
    model: Optional[str] = None
    catalog_number: Optional[str] = None
    serial_number: Optional[str] = None
    lot_number: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, ObjectiveId):
            self.id = ObjectiveId(self.id)

        if self.nominal_magnification is not None and not isinstance(self.nominal_magnification, float):
            self.nominal_magnification = float(self.nominal_magnification)

        if self.lens_na is not None and not isinstance(self.lens_na, float):
            self.lens_na = float(self.lens_na)

        if self.correction is not None and not isinstance(self.correction, Correction):
            self.correction = Correction(self.correction)

        if self.immersion is not None and not isinstance(self.immersion, Immersion):
            self.immersion = Immersion(self.immersion)

        if self.infinity_corrected is not None and not isinstance(self.infinity_corrected, Bool):
            self.infinity_corrected = Bool(self.infinity_corrected)

        if self.working_distance is not None and not isinstance(self.working_distance, QuantityValue):
            self.working_distance = QuantityValue(**as_dict(self.working_distance))

        if self.iris is not None and not isinstance(self.iris, Bool):
            self.iris = Bool(self.iris)

        if self.calibrated_magnification is not None and not isinstance(self.calibrated_magnification, float):
            self.calibrated_magnification = float(self.calibrated_magnification)

        if self.field_number is not None and not isinstance(self.field_number, float):
            self.field_number = float(self.field_number)

        if self.manufacturer is not None and not isinstance(self.manufacturer, str):
            self.manufacturer = str(self.manufacturer)

        if self.model is not None and not isinstance(self.model, str):
            self.model = str(self.model)

        if self.catalog_number is not None and not isinstance(self.catalog_number, str):
            self.catalog_number = str(self.catalog_number)

        if self.serial_number is not None and not isinstance(self.serial_number, str):
            self.serial_number = str(self.serial_number)

        if self.lot_number is not None and not isinstance(self.lot_number, str):
            self.lot_number = str(self.lot_number)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class LightSource(Thing):
    """
    A light source; one of its kinds below is used.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = OME["LightSource"]
    class_class_curie: ClassVar[str] = "ome:LightSource"
    class_name: ClassVar[str] = "LightSource"
    class_model_uri: ClassVar[URIRef] = BKG.LightSource

    id: Union[str, LightSourceId] = None
    power: Optional[Union[dict, QuantityValue]] = None
    wavelength: Optional[Union[dict, QuantityValue]] = None
    purchase_date: Optional[Union[str, XSDDate]] = None
    manufacturer: Optional[str] = None
    model: Optional[str] = None
    catalog_number: Optional[str] = None
    serial_number: Optional[str] = None
    lot_number: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self.power is not None and not isinstance(self.power, QuantityValue):
            self.power = QuantityValue(**as_dict(self.power))

        if self.wavelength is not None and not isinstance(self.wavelength, QuantityValue):
            self.wavelength = QuantityValue(**as_dict(self.wavelength))

        if self.purchase_date is not None and not isinstance(self.purchase_date, XSDDate):
            self.purchase_date = XSDDate(self.purchase_date)

        if self.manufacturer is not None and not isinstance(self.manufacturer, str):
            self.manufacturer = str(self.manufacturer)

        if self.model is not None and not isinstance(self.model, str):
            self.model = str(self.model)

        if self.catalog_number is not None and not isinstance(self.catalog_number, str):
            self.catalog_number = str(self.catalog_number)

        if self.serial_number is not None and not isinstance(self.serial_number, str):
            self.serial_number = str(self.serial_number)

        if self.lot_number is not None and not isinstance(self.lot_number, str):
            self.lot_number = str(self.lot_number)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class Laser(LightSource):
    """
    A laser.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = OME["Laser"]
    class_class_curie: ClassVar[str] = "ome:Laser"
    class_name: ClassVar[str] = "Laser"
    class_model_uri: ClassVar[URIRef] = BKG.Laser

    id: Union[str, LaserId] = None
    type: Optional[Union[str, "LaserType"]] = None
    tuneable: Optional[Union[bool, Bool]] = None
    pulse: Optional[Union[str, "Pulse"]] = None
    laser_medium: Optional[str] = None
    repetition_rate: Optional[Union[dict, QuantityValue]] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, LaserId):
            self.id = LaserId(self.id)

        if self.type is not None and not isinstance(self.type, LaserType):
            self.type = LaserType(self.type)

        if self.tuneable is not None and not isinstance(self.tuneable, Bool):
            self.tuneable = Bool(self.tuneable)

        if self.pulse is not None and not isinstance(self.pulse, Pulse):
            self.pulse = Pulse(self.pulse)

        if self.laser_medium is not None and not isinstance(self.laser_medium, str):
            self.laser_medium = str(self.laser_medium)

        if self.repetition_rate is not None and not isinstance(self.repetition_rate, QuantityValue):
            self.repetition_rate = QuantityValue(**as_dict(self.repetition_rate))

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class Arc(LightSource):
    """
    An arc lamp.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = OME["Arc"]
    class_class_curie: ClassVar[str] = "ome:Arc"
    class_name: ClassVar[str] = "Arc"
    class_model_uri: ClassVar[URIRef] = BKG.Arc

    id: Union[str, ArcId] = None
    type: Optional[Union[str, "ArcType"]] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, ArcId):
            self.id = ArcId(self.id)

        if self.type is not None and not isinstance(self.type, ArcType):
            self.type = ArcType(self.type)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class Filament(LightSource):
    """
    A filament lamp.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = OME["Filament"]
    class_class_curie: ClassVar[str] = "ome:Filament"
    class_name: ClassVar[str] = "Filament"
    class_model_uri: ClassVar[URIRef] = BKG.Filament

    id: Union[str, FilamentId] = None
    type: Optional[Union[str, "FilamentType"]] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, FilamentId):
            self.id = FilamentId(self.id)

        if self.type is not None and not isinstance(self.type, FilamentType):
            self.type = FilamentType(self.type)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class LightEmittingDiode(LightSource):
    """
    A light-emitting diode.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = OME["LightEmittingDiode"]
    class_class_curie: ClassVar[str] = "ome:LightEmittingDiode"
    class_name: ClassVar[str] = "LightEmittingDiode"
    class_model_uri: ClassVar[URIRef] = BKG.LightEmittingDiode

    id: Union[str, LightEmittingDiodeId] = None
    cut_in: Optional[Union[dict, QuantityValue]] = None
    cut_out: Optional[Union[dict, QuantityValue]] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, LightEmittingDiodeId):
            self.id = LightEmittingDiodeId(self.id)

        if self.cut_in is not None and not isinstance(self.cut_in, QuantityValue):
            self.cut_in = QuantityValue(**as_dict(self.cut_in))

        if self.cut_out is not None and not isinstance(self.cut_out, QuantityValue):
            self.cut_out = QuantityValue(**as_dict(self.cut_out))

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class Detector(Thing):
    """
    A camera or point detector.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = OME["Detector"]
    class_class_curie: ClassVar[str] = "ome:Detector"
    class_name: ClassVar[str] = "Detector"
    class_model_uri: ClassVar[URIRef] = BKG.Detector

    id: Union[str, DetectorId] = None
    type: Optional[Union[str, "DetectorType"]] = None
    pixel_size: Optional[Union[dict, QuantityValue]] = None
    max_bit_depth: Optional[int] = None
    quantum_efficiency: Optional[float] = None
    read_noise: Optional[float] = None
    dark_current: Optional[float] = None
    conversion_factor: Optional[float] = None
    operating_temperature: Optional[Union[dict, QuantityValue]] = None
    manufacturer: Optional[str] = None
    model: Optional[str] = None
    catalog_number: Optional[str] = None
    serial_number: Optional[str] = None
    lot_number: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, DetectorId):
            self.id = DetectorId(self.id)

        if self.type is not None and not isinstance(self.type, DetectorType):
            self.type = DetectorType(self.type)

        if self.pixel_size is not None and not isinstance(self.pixel_size, QuantityValue):
            self.pixel_size = QuantityValue(**as_dict(self.pixel_size))

        if self.max_bit_depth is not None and not isinstance(self.max_bit_depth, int):
            self.max_bit_depth = int(self.max_bit_depth)

        if self.quantum_efficiency is not None and not isinstance(self.quantum_efficiency, float):
            self.quantum_efficiency = float(self.quantum_efficiency)

        if self.read_noise is not None and not isinstance(self.read_noise, float):
            self.read_noise = float(self.read_noise)

        if self.dark_current is not None and not isinstance(self.dark_current, float):
            self.dark_current = float(self.dark_current)

        if self.conversion_factor is not None and not isinstance(self.conversion_factor, float):
            self.conversion_factor = float(self.conversion_factor)

        if self.operating_temperature is not None and not isinstance(self.operating_temperature, QuantityValue):
            self.operating_temperature = QuantityValue(**as_dict(self.operating_temperature))

        if self.manufacturer is not None and not isinstance(self.manufacturer, str):
            self.manufacturer = str(self.manufacturer)

        if self.model is not None and not isinstance(self.model, str):
            self.model = str(self.model)

        if self.catalog_number is not None and not isinstance(self.catalog_number, str):
            self.catalog_number = str(self.catalog_number)

        if self.serial_number is not None and not isinstance(self.serial_number, str):
            self.serial_number = str(self.serial_number)

        if self.lot_number is not None and not isinstance(self.lot_number, str):
            self.lot_number = str(self.lot_number)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class TransmittanceRange(YAMLRoot):
    """
    The wavelengths a filter or dichroic passes.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = OME["TransmittanceRange"]
    class_class_curie: ClassVar[str] = "ome:TransmittanceRange"
    class_name: ClassVar[str] = "TransmittanceRange"
    class_model_uri: ClassVar[URIRef] = BKG.TransmittanceRange

    cut_in: Optional[Union[dict, QuantityValue]] = None
    cut_out: Optional[Union[dict, QuantityValue]] = None
    transmittance: Optional[float] = None
    cut_in_tolerance: Optional[Union[dict, QuantityValue]] = None
    cut_out_tolerance: Optional[Union[dict, QuantityValue]] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self.cut_in is not None and not isinstance(self.cut_in, QuantityValue):
            self.cut_in = QuantityValue(**as_dict(self.cut_in))

        if self.cut_out is not None and not isinstance(self.cut_out, QuantityValue):
            self.cut_out = QuantityValue(**as_dict(self.cut_out))

        if self.transmittance is not None and not isinstance(self.transmittance, float):
            self.transmittance = float(self.transmittance)

        if self.cut_in_tolerance is not None and not isinstance(self.cut_in_tolerance, QuantityValue):
            self.cut_in_tolerance = QuantityValue(**as_dict(self.cut_in_tolerance))

        if self.cut_out_tolerance is not None and not isinstance(self.cut_out_tolerance, QuantityValue):
            self.cut_out_tolerance = QuantityValue(**as_dict(self.cut_out_tolerance))

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class Filter(Thing):
    """
    An optical filter.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = OME["Filter"]
    class_class_curie: ClassVar[str] = "ome:Filter"
    class_name: ClassVar[str] = "Filter"
    class_model_uri: ClassVar[URIRef] = BKG.Filter

    id: Union[str, FilterId] = None
    type: Optional[Union[str, "FilterType"]] = None
    transmittance_range: Optional[Union[dict, TransmittanceRange]] = None
    coating_method: Optional[Union[str, "CoatingMethod"]] = None
    filter_wheel: Optional[str] = None
    manufacturer: Optional[str] = None
    model: Optional[str] = None
    catalog_number: Optional[str] = None
    serial_number: Optional[str] = None
    lot_number: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, FilterId):
            self.id = FilterId(self.id)

        if self.type is not None and not isinstance(self.type, FilterType):
            self.type = FilterType(self.type)

        if self.transmittance_range is not None and not isinstance(self.transmittance_range, TransmittanceRange):
            self.transmittance_range = TransmittanceRange(**as_dict(self.transmittance_range))

        if self.coating_method is not None and not isinstance(self.coating_method, CoatingMethod):
            self.coating_method = CoatingMethod(self.coating_method)

        if self.filter_wheel is not None and not isinstance(self.filter_wheel, str):
            self.filter_wheel = str(self.filter_wheel)

        if self.manufacturer is not None and not isinstance(self.manufacturer, str):
            self.manufacturer = str(self.manufacturer)

        if self.model is not None and not isinstance(self.model, str):
            self.model = str(self.model)

        if self.catalog_number is not None and not isinstance(self.catalog_number, str):
            self.catalog_number = str(self.catalog_number)

        if self.serial_number is not None and not isinstance(self.serial_number, str):
            self.serial_number = str(self.serial_number)

        if self.lot_number is not None and not isinstance(self.lot_number, str):
            self.lot_number = str(self.lot_number)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class Dichroic(Thing):
    """
    A dichroic mirror.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = OME["Dichroic"]
    class_class_curie: ClassVar[str] = "ome:Dichroic"
    class_name: ClassVar[str] = "Dichroic"
    class_model_uri: ClassVar[URIRef] = BKG.Dichroic

    id: Union[str, DichroicId] = None
    transmittance_range: Optional[Union[dict, TransmittanceRange]] = None
    manufacturer: Optional[str] = None
    model: Optional[str] = None
    catalog_number: Optional[str] = None
    serial_number: Optional[str] = None
    lot_number: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, DichroicId):
            self.id = DichroicId(self.id)

        if self.transmittance_range is not None and not isinstance(self.transmittance_range, TransmittanceRange):
            self.transmittance_range = TransmittanceRange(**as_dict(self.transmittance_range))

        if self.manufacturer is not None and not isinstance(self.manufacturer, str):
            self.manufacturer = str(self.manufacturer)

        if self.model is not None and not isinstance(self.model, str):
            self.model = str(self.model)

        if self.catalog_number is not None and not isinstance(self.catalog_number, str):
            self.catalog_number = str(self.catalog_number)

        if self.serial_number is not None and not isinstance(self.serial_number, str):
            self.serial_number = str(self.serial_number)

        if self.lot_number is not None and not isinstance(self.lot_number, str):
            self.lot_number = str(self.lot_number)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class FilterSet(Thing):
    """
    A filter cube: excitation filters, a dichroic and emission filters.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = OME["FilterSet"]
    class_class_curie: ClassVar[str] = "ome:FilterSet"
    class_name: ClassVar[str] = "FilterSet"
    class_model_uri: ClassVar[URIRef] = BKG.FilterSet

    id: Union[str, FilterSetId] = None
    excitation_filters: Optional[Union[Union[str, FilterId], list[Union[str, FilterId]]]] = empty_list()
    dichroics: Optional[Union[dict[Union[str, DichroicId], Union[dict, Dichroic]], list[Union[dict, Dichroic]]]] = empty_dict()
    emission_filters: Optional[Union[Union[str, FilterId], list[Union[str, FilterId]]]] = empty_list()
    manufacturer: Optional[str] = None
    model: Optional[str] = None
    catalog_number: Optional[str] = None
    serial_number: Optional[str] = None
    lot_number: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, FilterSetId):
            self.id = FilterSetId(self.id)

        if not isinstance(self.excitation_filters, list):
            self.excitation_filters = [self.excitation_filters] if self.excitation_filters is not None else []
        self.excitation_filters = [v if isinstance(v, FilterId) else FilterId(v) for v in self.excitation_filters]

        self._normalize_inlined_as_list(slot_name="dichroics", slot_type=Dichroic, key_name="id", keyed=True)

        if not isinstance(self.emission_filters, list):
            self.emission_filters = [self.emission_filters] if self.emission_filters is not None else []
        self.emission_filters = [v if isinstance(v, FilterId) else FilterId(v) for v in self.emission_filters]

        if self.manufacturer is not None and not isinstance(self.manufacturer, str):
            self.manufacturer = str(self.manufacturer)

        if self.model is not None and not isinstance(self.model, str):
            self.model = str(self.model)

        if self.catalog_number is not None and not isinstance(self.catalog_number, str):
            self.catalog_number = str(self.catalog_number)

        if self.serial_number is not None and not isinstance(self.serial_number, str):
            self.serial_number = str(self.serial_number)

        if self.lot_number is not None and not isinstance(self.lot_number, str):
            self.lot_number = str(self.lot_number)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class OpticalCalibration(Thing):
    """
    A measurement of the optical performance with point-like emitters (beads): measured and theoretical spot sizes as
    full widths at half maximum of the PSF (NBO "OpticalCalibration"; NBO issue 93).
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = BKG["OpticalCalibration"]
    class_class_curie: ClassVar[str] = "bkg:OpticalCalibration"
    class_name: ClassVar[str] = "OpticalCalibration"
    class_model_uri: ClassVar[URIRef] = BKG.OpticalCalibration

    id: Union[str, OpticalCalibrationId] = None
    calibration_date: Optional[Union[str, XSDDate]] = None
    objective: Optional[Union[str, ObjectiveId]] = None
    emission_wavelength: Optional[Union[dict, QuantityValue]] = None
    theoretical_xy_spot_size: Optional[Union[dict, QuantityValue]] = None
    median_xy_spot_size: Optional[Union[dict, QuantityValue]] = None
    min_xy_spot_size: Optional[Union[dict, QuantityValue]] = None
    max_xy_spot_size: Optional[Union[dict, QuantityValue]] = None
    theoretical_z_spot_size: Optional[Union[dict, QuantityValue]] = None
    median_z_spot_size: Optional[Union[dict, QuantityValue]] = None
    sample_size: Optional[int] = None
    psf_fit: Optional[str] = None
    nyquist_ratio: Optional[float] = None
    lateral_asymmetry: Optional[float] = None
    calibration_image: Optional[Union[str, URIorCURIE]] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, OpticalCalibrationId):
            self.id = OpticalCalibrationId(self.id)

        if self.calibration_date is not None and not isinstance(self.calibration_date, XSDDate):
            self.calibration_date = XSDDate(self.calibration_date)

        if self.objective is not None and not isinstance(self.objective, ObjectiveId):
            self.objective = ObjectiveId(self.objective)

        if self.emission_wavelength is not None and not isinstance(self.emission_wavelength, QuantityValue):
            self.emission_wavelength = QuantityValue(**as_dict(self.emission_wavelength))

        if self.theoretical_xy_spot_size is not None and not isinstance(self.theoretical_xy_spot_size, QuantityValue):
            self.theoretical_xy_spot_size = QuantityValue(**as_dict(self.theoretical_xy_spot_size))

        if self.median_xy_spot_size is not None and not isinstance(self.median_xy_spot_size, QuantityValue):
            self.median_xy_spot_size = QuantityValue(**as_dict(self.median_xy_spot_size))

        if self.min_xy_spot_size is not None and not isinstance(self.min_xy_spot_size, QuantityValue):
            self.min_xy_spot_size = QuantityValue(**as_dict(self.min_xy_spot_size))

        if self.max_xy_spot_size is not None and not isinstance(self.max_xy_spot_size, QuantityValue):
            self.max_xy_spot_size = QuantityValue(**as_dict(self.max_xy_spot_size))

        if self.theoretical_z_spot_size is not None and not isinstance(self.theoretical_z_spot_size, QuantityValue):
            self.theoretical_z_spot_size = QuantityValue(**as_dict(self.theoretical_z_spot_size))

        if self.median_z_spot_size is not None and not isinstance(self.median_z_spot_size, QuantityValue):
            self.median_z_spot_size = QuantityValue(**as_dict(self.median_z_spot_size))

        if self.sample_size is not None and not isinstance(self.sample_size, int):
            self.sample_size = int(self.sample_size)

        if self.psf_fit is not None and not isinstance(self.psf_fit, str):
            self.psf_fit = str(self.psf_fit)

        if self.nyquist_ratio is not None and not isinstance(self.nyquist_ratio, float):
            self.nyquist_ratio = float(self.nyquist_ratio)

        if self.lateral_asymmetry is not None and not isinstance(self.lateral_asymmetry, float):
            self.lateral_asymmetry = float(self.lateral_asymmetry)

        if self.calibration_image is not None and not isinstance(self.calibration_image, URIorCURIE):
            self.calibration_image = URIorCURIE(self.calibration_image)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class AnalysisRun(Thing):
    """
    One execution of analysis software on inputs, producing outputs: what ran, with which environment, parameters,
    seeds and hardware, when, and by whom.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = SCHEMA["CreateAction"]
    class_class_curie: ClassVar[str] = "schema:CreateAction"
    class_name: ClassVar[str] = "AnalysisRun"
    class_model_uri: ClassVar[URIRef] = BKG.AnalysisRun

    id: Union[str, AnalysisRunId] = None
    software: Union[dict, "SoftwareApplication"] = None
    inputs: Union[dict[Union[str, FileId], Union[dict, File]], list[Union[dict, File]]] = empty_dict()
    outputs: Union[dict[Union[str, FileId], Union[dict, File]], list[Union[dict, File]]] = empty_dict()
    start_time: Union[str, XSDDateTime] = None
    environment_lock: Optional[Union[Union[dict, "InstalledDistribution"], list[Union[dict, "InstalledDistribution"]]]] = empty_list()
    parameters: Optional[Union[Union[dict, "ParameterValue"], list[Union[dict, "ParameterValue"]]]] = empty_list()
    container_image: Optional[Union[dict, "ContainerImage"]] = None
    random_seeds: Optional[Union[Union[dict, "RandomSeed"], list[Union[dict, "RandomSeed"]]]] = empty_list()
    model_weights: Optional[Union[dict[Union[str, ModelWeightsId], Union[dict, "ModelWeights"]], list[Union[dict, "ModelWeights"]]]] = empty_dict()
    hardware: Optional[Union[dict, "Hardware"]] = None
    end_time: Optional[Union[str, XSDDateTime]] = None
    agent: Optional[Union[dict, Person]] = None
    command_line: Optional[str] = None
    exit_code: Optional[int] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, AnalysisRunId):
            self.id = AnalysisRunId(self.id)

        if self._is_empty(self.software):
            self.MissingRequiredField("software")
        if not isinstance(self.software, SoftwareApplication):
            self.software = SoftwareApplication(**as_dict(self.software))

        if self._is_empty(self.inputs):
            self.MissingRequiredField("inputs")
        self._normalize_inlined_as_list(slot_name="inputs", slot_type=File, key_name="id", keyed=True)

        if self._is_empty(self.outputs):
            self.MissingRequiredField("outputs")
        self._normalize_inlined_as_list(slot_name="outputs", slot_type=File, key_name="id", keyed=True)

        if self._is_empty(self.start_time):
            self.MissingRequiredField("start_time")
        if not isinstance(self.start_time, XSDDateTime):
            self.start_time = XSDDateTime(self.start_time)

        self._normalize_inlined_as_list(slot_name="environment_lock", slot_type=InstalledDistribution, key_name="name", keyed=False)

        self._normalize_inlined_as_list(slot_name="parameters", slot_type=ParameterValue, key_name="name", keyed=False)

        if self.container_image is not None and not isinstance(self.container_image, ContainerImage):
            self.container_image = ContainerImage(**as_dict(self.container_image))

        self._normalize_inlined_as_list(slot_name="random_seeds", slot_type=RandomSeed, key_name="seed_value", keyed=False)

        self._normalize_inlined_as_list(slot_name="model_weights", slot_type=ModelWeights, key_name="id", keyed=True)

        if self.hardware is not None and not isinstance(self.hardware, Hardware):
            self.hardware = Hardware(**as_dict(self.hardware))

        if self.end_time is not None and not isinstance(self.end_time, XSDDateTime):
            self.end_time = XSDDateTime(self.end_time)

        if self.agent is not None and not isinstance(self.agent, Person):
            self.agent = Person(**as_dict(self.agent))

        if self.command_line is not None and not isinstance(self.command_line, str):
            self.command_line = str(self.command_line)

        if self.exit_code is not None and not isinstance(self.exit_code, int):
            self.exit_code = int(self.exit_code)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class SoftwareApplication(Thing):
    """
    A piece of software: a script, a tool, a workflow.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = SCHEMA["SoftwareApplication"]
    class_class_curie: ClassVar[str] = "schema:SoftwareApplication"
    class_name: ClassVar[str] = "SoftwareApplication"
    class_model_uri: ClassVar[URIRef] = BKG.SoftwareApplication

    id: Union[str, SoftwareApplicationId] = None
    version: str = None
    name: str = None
    url: Optional[Union[str, URI]] = None
    git_commit: Optional[str] = None
    git_dirty: Optional[Union[bool, Bool]] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, SoftwareApplicationId):
            self.id = SoftwareApplicationId(self.id)

        if self._is_empty(self.version):
            self.MissingRequiredField("version")
        if not isinstance(self.version, str):
            self.version = str(self.version)

        if self._is_empty(self.name):
            self.MissingRequiredField("name")
        if not isinstance(self.name, str):
            self.name = str(self.name)

        if self.url is not None and not isinstance(self.url, URI):
            self.url = URI(self.url)

        if self.git_commit is not None and not isinstance(self.git_commit, str):
            self.git_commit = str(self.git_commit)

        if self.git_dirty is not None and not isinstance(self.git_dirty, Bool):
            self.git_dirty = Bool(self.git_dirty)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class InstalledDistribution(YAMLRoot):
    """
    One installed software distribution (a Python package, a system library) and its version.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = BKG["InstalledDistribution"]
    class_class_curie: ClassVar[str] = "bkg:InstalledDistribution"
    class_name: ClassVar[str] = "InstalledDistribution"
    class_model_uri: ClassVar[URIRef] = BKG.InstalledDistribution

    name: str = None
    version: str = None
    package_manager: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.name):
            self.MissingRequiredField("name")
        if not isinstance(self.name, str):
            self.name = str(self.name)

        if self._is_empty(self.version):
            self.MissingRequiredField("version")
        if not isinstance(self.version, str):
            self.version = str(self.version)

        if self.package_manager is not None and not isinstance(self.package_manager, str):
            self.package_manager = str(self.package_manager)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class ParameterValue(YAMLRoot):
    """
    One parameter and the value the run used.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = SCHEMA["PropertyValue"]
    class_class_curie: ClassVar[str] = "schema:PropertyValue"
    class_name: ClassVar[str] = "ParameterValue"
    class_model_uri: ClassVar[URIRef] = BKG.ParameterValue

    name: str = None
    value: str = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.name):
            self.MissingRequiredField("name")
        if not isinstance(self.name, str):
            self.name = str(self.name)

        if self._is_empty(self.value):
            self.MissingRequiredField("value")
        if not isinstance(self.value, str):
            self.value = str(self.value)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class ContainerImage(YAMLRoot):
    """
    A container image, identified by its digest (Workflow Run RO-Crate).
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = WFRUN["ContainerImage"]
    class_class_curie: ClassVar[str] = "wfrun:ContainerImage"
    class_name: ClassVar[str] = "ContainerImage"
    class_model_uri: ClassVar[URIRef] = BKG.ContainerImage

    name: str = None
    sha256: str = None
    registry: Optional[str] = None
    tag: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.name):
            self.MissingRequiredField("name")
        if not isinstance(self.name, str):
            self.name = str(self.name)

        if self._is_empty(self.sha256):
            self.MissingRequiredField("sha256")
        if not isinstance(self.sha256, str):
            self.sha256 = str(self.sha256)

        if self.registry is not None and not isinstance(self.registry, str):
            self.registry = str(self.registry)

        if self.tag is not None and not isinstance(self.tag, str):
            self.tag = str(self.tag)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class RandomSeed(YAMLRoot):
    """
    A seed given to a random number generator, so that a run that draws random numbers can be repeated. No standard
    vocabulary has this term.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = BKG["RandomSeed"]
    class_class_curie: ClassVar[str] = "bkg:RandomSeed"
    class_name: ClassVar[str] = "RandomSeed"
    class_model_uri: ClassVar[URIRef] = BKG.RandomSeed

    seed_value: int = None
    generator: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.seed_value):
            self.MissingRequiredField("seed_value")
        if not isinstance(self.seed_value, int):
            self.seed_value = int(self.seed_value)

        if self.generator is not None and not isinstance(self.generator, str):
            self.generator = str(self.generator)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class ModelWeights(File):
    """
    A file of trained model weights (a File, so it has a checksum).
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = BKG["ModelWeights"]
    class_class_curie: ClassVar[str] = "bkg:ModelWeights"
    class_name: ClassVar[str] = "ModelWeights"
    class_model_uri: ClassVar[URIRef] = BKG.ModelWeights

    id: Union[str, ModelWeightsId] = None
    sha256: str = None
    url: Optional[Union[str, URI]] = None
    name: Optional[str] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.id):
            self.MissingRequiredField("id")
        if not isinstance(self.id, ModelWeightsId):
            self.id = ModelWeightsId(self.id)

        if self._is_empty(self.sha256):
            self.MissingRequiredField("sha256")
        if not isinstance(self.sha256, str):
            self.sha256 = str(self.sha256)

        if self.url is not None and not isinstance(self.url, URI):
            self.url = URI(self.url)

        if self.name is not None and not isinstance(self.name, str):
            self.name = str(self.name)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class Hardware(YAMLRoot):
    """
    The computer a run used. No standard vocabulary has these terms; they are defined in the bioimage-kg vocabulary.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = BKG["Hardware"]
    class_class_curie: ClassVar[str] = "bkg:Hardware"
    class_name: ClassVar[str] = "Hardware"
    class_model_uri: ClassVar[URIRef] = BKG.Hardware

    cpu_model: Optional[str] = None
    cpu_count: Optional[int] = None
    memory_bytes: Optional[int] = None
    operating_system: Optional[str] = None
    architecture: Optional[str] = None
    gpus: Optional[Union[Union[dict, "GPU"], list[Union[dict, "GPU"]]]] = empty_list()

    def __post_init__(self, *_: str, **kwargs: Any):
        if self.cpu_model is not None and not isinstance(self.cpu_model, str):
            self.cpu_model = str(self.cpu_model)

        if self.cpu_count is not None and not isinstance(self.cpu_count, int):
            self.cpu_count = int(self.cpu_count)

        if self.memory_bytes is not None and not isinstance(self.memory_bytes, int):
            self.memory_bytes = int(self.memory_bytes)

        if self.operating_system is not None and not isinstance(self.operating_system, str):
            self.operating_system = str(self.operating_system)

        if self.architecture is not None and not isinstance(self.architecture, str):
            self.architecture = str(self.architecture)

        self._normalize_inlined_as_list(slot_name="gpus", slot_type=GPU, key_name="gpu_model", keyed=False)

        super().__post_init__(**kwargs)


@dataclass(repr=False)
class GPU(YAMLRoot):
    """
    A graphics processor, with the driver that ran it.
    """
    _inherited_slots: ClassVar[list[str]] = []

    class_class_uri: ClassVar[URIRef] = BKG["GPU"]
    class_class_curie: ClassVar[str] = "bkg:GPU"
    class_name: ClassVar[str] = "GPU"
    class_model_uri: ClassVar[URIRef] = BKG.GPU

    gpu_model: str = None
    driver_version: Optional[str] = None
    compute_api_version: Optional[str] = None
    memory_bytes: Optional[int] = None

    def __post_init__(self, *_: str, **kwargs: Any):
        if self._is_empty(self.gpu_model):
            self.MissingRequiredField("gpu_model")
        if not isinstance(self.gpu_model, str):
            self.gpu_model = str(self.gpu_model)

        if self.driver_version is not None and not isinstance(self.driver_version, str):
            self.driver_version = str(self.driver_version)

        if self.compute_api_version is not None and not isinstance(self.compute_api_version, str):
            self.compute_api_version = str(self.compute_api_version)

        if self.memory_bytes is not None and not isinstance(self.memory_bytes, int):
            self.memory_bytes = int(self.memory_bytes)

        super().__post_init__(**kwargs)


# Enumerations
class RequirementLevel(EnumDefinitionImpl):
    """
    How strongly a profile asks for a field (RFC 2119 words).
    """
    MUST = PermissibleValue(
        text="MUST",
        description="Required; a missing value is a violation (sh:Violation).")
    SHOULD = PermissibleValue(
        text="SHOULD",
        description="Recommended; a missing value is a warning (sh:Warning).")
    MAY = PermissibleValue(
        text="MAY",
        description="Optional; a missing value is a note (sh:Info).")

    _defn = EnumDefinition(
        name="RequirementLevel",
        description="How strongly a profile asks for a field (RFC 2119 words).",
    )

class ImagingMethod(EnumDefinitionImpl):
    """
    Imaging methods as FBbi terms (Biological Imaging Methods Ontology). Light-sheet fluorescence microscopy has no
    FBbi term of its own (fbbi issue 34): use SPIM.
    """
    microscopy = PermissibleValue(
        text="microscopy",
        description="Any imaging method using a microscope.",
        meaning=FBBI["00000241"])
    STORM = PermissibleValue(
        text="STORM",
        description="Single-molecule localisation super-resolution with photo-switchable dyes.",
        meaning=FBBI["00000336"])

    _defn = EnumDefinition(
        name="ImagingMethod",
        description="""Imaging methods as FBbi terms (Biological Imaging Methods Ontology). Light-sheet fluorescence microscopy has no FBbi term of its own (fbbi issue 34): use SPIM.""",
    )

    @classmethod
    def _addvals(cls):
        setattr(cls, "light microscopy",
            PermissibleValue(
                text="light microscopy",
                description="Microscopy with visible, ultraviolet or infrared light.",
                meaning=FBBI["00000345"]))
        setattr(cls, "bright-field microscopy",
            PermissibleValue(
                text="bright-field microscopy",
                description="Transmitted-light microscopy where the specimen appears dark on a bright background.",
                meaning=FBBI["00000243"]))
        setattr(cls, "differential interference contrast microscopy",
            PermissibleValue(
                text="differential interference contrast microscopy",
                description="Contrast from gradients of optical path length (DIC, Nomarski).",
                meaning=FBBI["00000245"]))
        setattr(cls, "fluorescence microscopy",
            PermissibleValue(
                text="fluorescence microscopy",
                description="Imaging of light emitted by fluorophores after excitation (wide-field).",
                meaning=FBBI["00000246"]))
        setattr(cls, "phase contrast microscopy",
            PermissibleValue(
                text="phase contrast microscopy",
                description="Contrast from phase shifts of light passing through a transparent specimen.",
                meaning=FBBI["00000247"]))
        setattr(cls, "confocal microscopy",
            PermissibleValue(
                text="confocal microscopy",
                description="Point-scanning microscopy with a pinhole that rejects out-of-focus light.",
                meaning=FBBI["00000251"]))
        setattr(cls, "spinning disk confocal microscopy",
            PermissibleValue(
                text="spinning disk confocal microscopy",
                description="Confocal microscopy with many pinholes on a rotating (Nipkow) disk.",
                meaning=FBBI["00000253"]))
        setattr(cls, "two-photon laser scanning microscopy",
            PermissibleValue(
                text="two-photon laser scanning microscopy",
                description="Fluorescence excited by simultaneous absorption of two photons.",
                meaning=FBBI["00000254"]))
        setattr(cls, "structured illumination microscopy",
            PermissibleValue(
                text="structured illumination microscopy",
                description="Super-resolution from patterned illumination and reconstruction.",
                meaning=FBBI["00000332"]))
        setattr(cls, "STED microscopy",
            PermissibleValue(
                text="STED microscopy",
                description="Super-resolution by depleting fluorescence around the focal spot.",
                meaning=FBBI["00000334"]))
        setattr(cls, "selective plane illumination microscopy",
            PermissibleValue(
                text="selective plane illumination microscopy",
                description="Light-sheet microscopy illuminating one plane from the side.",
                meaning=FBBI["00000369"]))
        setattr(cls, "TIRF microscopy",
            PermissibleValue(
                text="TIRF microscopy",
                description="Evanescent-wave excitation of a thin layer next to the cover glass.",
                meaning=FBBI["00000617"]))
        setattr(cls, "electron microscopy",
            PermissibleValue(
                text="electron microscopy",
                description="Imaging with an electron beam.",
                meaning=FBBI["00000256"]))

class AnnotationType(EnumDefinitionImpl):
    """
    Kinds of image annotation (as in the BioImage Archive's REMBI model).
    """
    class_labels = PermissibleValue(
        text="class_labels",
        description="Labels assigned to whole images or regions.")
    bounding_boxes = PermissibleValue(
        text="bounding_boxes",
        description="Rectangles around objects.")
    counts = PermissibleValue(
        text="counts",
        description="Numbers of objects.")
    derived_annotations = PermissibleValue(
        text="derived_annotations",
        description="Annotations computed from other annotations.")
    geometrical_annotations = PermissibleValue(
        text="geometrical_annotations",
        description="Points, lines or polygons.")
    graphs = PermissibleValue(
        text="graphs",
        description="Graphs linking objects (e.g. lineages).")
    point_annotations = PermissibleValue(
        text="point_annotations",
        description="Single points marking objects.")
    segmentation_mask = PermissibleValue(
        text="segmentation_mask",
        description="Per-pixel labels.")
    tracks = PermissibleValue(
        text="tracks",
        description="Object positions linked over time.")
    weak_annotations = PermissibleValue(
        text="weak_annotations",
        description="Incomplete or imprecise labels.")
    other = PermissibleValue(
        text="other",
        description="None of the above; say which in the description.")

    _defn = EnumDefinition(
        name="AnnotationType",
        description="Kinds of image annotation (as in the BioImage Archive's REMBI model).",
    )

class MicroscopeType(EnumDefinitionImpl):
    """
    OME microscope stand types.
    """
    Upright = PermissibleValue(
        text="Upright",
        description="Objectives above the specimen.")
    Inverted = PermissibleValue(
        text="Inverted",
        description="Objectives below the specimen.")
    Dissection = PermissibleValue(
        text="Dissection",
        description="A low-magnification stereo microscope for dissecting.")
    Electrophysiology = PermissibleValue(
        text="Electrophysiology",
        description="A stand built for electrophysiology.")
    Other = PermissibleValue(
        text="Other",
        description="None of the above.")

    _defn = EnumDefinition(
        name="MicroscopeType",
        description="OME microscope stand types.",
    )

class StandOrigin(EnumDefinitionImpl):
    """
    NBO stand origin.
    """
    Commercial = PermissibleValue(
        text="Commercial",
        description="Bought and used as delivered.")

    _defn = EnumDefinition(
        name="StandOrigin",
        description="NBO stand origin.",
    )

    @classmethod
    def _addvals(cls):
        setattr(cls, "Commercial, modified",
            PermissibleValue(
                text="Commercial, modified",
                description="Bought and modified for a special purpose."))
        setattr(cls, "Custom-built",
            PermissibleValue(
                text="Custom-built",
                description="Built by the lab or a facility."))

class Correction(EnumDefinitionImpl):
    """
    OME objective corrections.
    """
    UV = PermissibleValue(
        text="UV",
        description="Corrected for ultraviolet light.")
    PlanApo = PermissibleValue(
        text="PlanApo",
        description="Plan apochromat - flat field, colour-corrected for three or more wavelengths.")
    PlanFluor = PermissibleValue(
        text="PlanFluor",
        description="Plan fluorite - flat field, semi-apochromatic.")
    SuperFluor = PermissibleValue(
        text="SuperFluor",
        description="Fluorite with high UV transmission.")
    VioletCorrected = PermissibleValue(
        text="VioletCorrected",
        description="Corrected into the violet range.")
    Achro = PermissibleValue(
        text="Achro",
        description="Achromat - colour-corrected for two wavelengths.")
    Achromat = PermissibleValue(
        text="Achromat",
        description="Achromat - colour-corrected for two wavelengths.")
    Fluor = PermissibleValue(
        text="Fluor",
        description="Fluorite (semi-apochromat).")
    Fl = PermissibleValue(
        text="Fl",
        description="Fluorite (semi-apochromat).")
    Fluar = PermissibleValue(
        text="Fluar",
        description="Zeiss Fluar (high UV transmission).")
    Neofluar = PermissibleValue(
        text="Neofluar",
        description="Zeiss Neofluar (semi-apochromat).")
    Fluotar = PermissibleValue(
        text="Fluotar",
        description="Leica Fluotar (semi-apochromat).")
    Apo = PermissibleValue(
        text="Apo",
        description="Apochromat - colour-corrected for three or more wavelengths.")
    PlanNeofluar = PermissibleValue(
        text="PlanNeofluar",
        description="Zeiss Plan-Neofluar - flat field semi-apochromat.")
    Other = PermissibleValue(
        text="Other",
        description="None of the above.")

    _defn = EnumDefinition(
        name="Correction",
        description="OME objective corrections.",
    )

class Immersion(EnumDefinitionImpl):
    """
    OME immersion media.
    """
    Oil = PermissibleValue(
        text="Oil",
        description="Immersion oil (refractive index about 1.52).")
    Water = PermissibleValue(
        text="Water",
        description="Water immersion with a cover glass.")
    WaterDipping = PermissibleValue(
        text="WaterDipping",
        description="Dipping directly into the water of the specimen.")
    Air = PermissibleValue(
        text="Air",
        description="Dry objective.")
    Multi = PermissibleValue(
        text="Multi",
        description="Designed for several media.")
    Glycerol = PermissibleValue(
        text="Glycerol",
        description="Glycerol immersion (refractive index about 1.47).")
    Other = PermissibleValue(
        text="Other",
        description="None of the above (e.g. silicone oil).")

    _defn = EnumDefinition(
        name="Immersion",
        description="OME immersion media.",
    )

class LaserType(EnumDefinitionImpl):
    """
    OME laser types.
    """
    Excimer = PermissibleValue(
        text="Excimer",
        description="Excimer (exciplex) laser.")
    Gas = PermissibleValue(
        text="Gas",
        description="Gas laser (e.g. argon, HeNe).")
    MetalVapor = PermissibleValue(
        text="MetalVapor",
        description="Metal-vapour laser.")
    SolidState = PermissibleValue(
        text="SolidState",
        description="Solid-state laser (including DPSS).")
    Dye = PermissibleValue(
        text="Dye",
        description="Dye laser.")
    Semiconductor = PermissibleValue(
        text="Semiconductor",
        description="Semiconductor (diode) laser.")
    FreeElectron = PermissibleValue(
        text="FreeElectron",
        description="Free-electron laser.")
    Other = PermissibleValue(
        text="Other",
        description="None of the above.")

    _defn = EnumDefinition(
        name="LaserType",
        description="OME laser types.",
    )

class Pulse(EnumDefinitionImpl):
    """
    OME laser pulse modes.
    """
    CW = PermissibleValue(
        text="CW",
        description="Continuous wave.")
    Single = PermissibleValue(
        text="Single",
        description="Single pulse.")
    QSwitched = PermissibleValue(
        text="QSwitched",
        description="Q-switched.")
    Repetitive = PermissibleValue(
        text="Repetitive",
        description="Repetitive pulses.")
    ModeLocked = PermissibleValue(
        text="ModeLocked",
        description="Mode-locked (femtosecond/picosecond pulses).")
    Other = PermissibleValue(
        text="Other",
        description="None of the above.")

    _defn = EnumDefinition(
        name="Pulse",
        description="OME laser pulse modes.",
    )

class ArcType(EnumDefinitionImpl):
    """
    OME arc lamp types.
    """
    Hg = PermissibleValue(
        text="Hg",
        description="Mercury.")
    Xe = PermissibleValue(
        text="Xe",
        description="Xenon.")
    HgXe = PermissibleValue(
        text="HgXe",
        description="Mercury-xenon.")
    Other = PermissibleValue(
        text="Other",
        description="None of the above.")

    _defn = EnumDefinition(
        name="ArcType",
        description="OME arc lamp types.",
    )

class FilamentType(EnumDefinitionImpl):
    """
    OME filament lamp types.
    """
    Incandescent = PermissibleValue(
        text="Incandescent",
        description="Incandescent bulb.")
    Halogen = PermissibleValue(
        text="Halogen",
        description="Halogen lamp.")
    Other = PermissibleValue(
        text="Other",
        description="None of the above.")

    _defn = EnumDefinition(
        name="FilamentType",
        description="OME filament lamp types.",
    )

class DetectorType(EnumDefinitionImpl):
    """
    OME detector types.
    """
    CCD = PermissibleValue(
        text="CCD",
        description="Charge-coupled device camera.")
    IntensifiedCCD = PermissibleValue(
        text="IntensifiedCCD",
        description="Intensified CCD camera.")
    AnalogVideo = PermissibleValue(
        text="AnalogVideo",
        description="Analogue video camera.")
    PMT = PermissibleValue(
        text="PMT",
        description="Photomultiplier tube.")
    Photodiode = PermissibleValue(
        text="Photodiode",
        description="Photodiode.")
    Spectroscopy = PermissibleValue(
        text="Spectroscopy",
        description="Spectroscopic detector.")
    LifetimeImaging = PermissibleValue(
        text="LifetimeImaging",
        description="Fluorescence-lifetime detector.")
    CorrelationSpectroscopy = PermissibleValue(
        text="CorrelationSpectroscopy",
        description="Fluorescence correlation spectroscopy detector.")
    FTIR = PermissibleValue(
        text="FTIR",
        description="Fourier-transform infrared detector.")
    EMCCD = PermissibleValue(
        text="EMCCD",
        description="Electron-multiplying CCD camera.")
    APD = PermissibleValue(
        text="APD",
        description="Avalanche photodiode.")
    CMOS = PermissibleValue(
        text="CMOS",
        description="CMOS (including sCMOS) camera.")
    EBCCD = PermissibleValue(
        text="EBCCD",
        description="Electron-bombarded CCD camera.")
    Other = PermissibleValue(
        text="Other",
        description="None of the above (e.g. a hybrid detector, HyD).")

    _defn = EnumDefinition(
        name="DetectorType",
        description="OME detector types.",
    )

class FilterType(EnumDefinitionImpl):
    """
    OME filter types.
    """
    Dichroic = PermissibleValue(
        text="Dichroic",
        description="A dichroic used as a filter.")
    LongPass = PermissibleValue(
        text="LongPass",
        description="Passes wavelengths above the cut-in.")
    ShortPass = PermissibleValue(
        text="ShortPass",
        description="Passes wavelengths below the cut-out.")
    BandPass = PermissibleValue(
        text="BandPass",
        description="Passes one band between cut-in and cut-out.")
    MultiPass = PermissibleValue(
        text="MultiPass",
        description="Passes several bands.")
    NeutralDensity = PermissibleValue(
        text="NeutralDensity",
        description="Attenuates all wavelengths evenly.")
    Tuneable = PermissibleValue(
        text="Tuneable",
        description="An adjustable filter (e.g. an AOTF).")
    Other = PermissibleValue(
        text="Other",
        description="None of the above.")

    _defn = EnumDefinition(
        name="FilterType",
        description="OME filter types.",
    )

class CoatingMethod(EnumDefinitionImpl):
    """
    NBO filter coating methods.
    """
    HardCoated = PermissibleValue(
        text="HardCoated",
        description="Hard (sputtered) coating.")
    SoftCoated = PermissibleValue(
        text="SoftCoated",
        description="Soft (evaporated) coating.")
    Other = PermissibleValue(
        text="Other",
        description="None of the above.")

    _defn = EnumDefinition(
        name="CoatingMethod",
        description="NBO filter coating methods.",
    )

# Slots
class slots:
    pass

slots.id = Slot(uri=BKG.id, name="id", curie=BKG.curie('id'),
                   model_uri=BKG.id, domain=None, range=URIRef)

slots.name = Slot(uri=SCHEMA.name, name="name", curie=SCHEMA.curie('name'),
                   model_uri=BKG.name, domain=None, range=Optional[str])

slots.description = Slot(uri=DCT.description, name="description", curie=DCT.curie('description'),
                   model_uri=BKG.description, domain=None, range=Optional[str])

slots.numeric_value = Slot(uri=QUDT.numericValue, name="numeric_value", curie=QUDT.curie('numericValue'),
                   model_uri=BKG.numeric_value, domain=None, range=Optional[float])

slots.unit = Slot(uri=QUDT.unit, name="unit", curie=QUDT.curie('unit'),
                   model_uri=BKG.unit, domain=None, range=Optional[Union[str, URIorCURIE]],
                   pattern=re.compile(r'^(unit:|http://qudt\.org/vocab/unit/)[A-Za-z0-9_-]+$'))

slots.orcid = Slot(uri=BKG.orcid, name="orcid", curie=BKG.curie('orcid'),
                   model_uri=BKG.orcid, domain=None, range=Optional[Union[str, URIorCURIE]],
                   pattern=re.compile(r'^(orcid:|https://orcid\.org/)[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$'))

slots.email = Slot(uri=SCHEMA.email, name="email", curie=SCHEMA.curie('email'),
                   model_uri=BKG.email, domain=None, range=Optional[str])

slots.affiliations = Slot(uri=SCHEMA.affiliation, name="affiliations", curie=SCHEMA.curie('affiliation'),
                   model_uri=BKG.affiliations, domain=None, range=Optional[Union[dict[Union[str, OrganisationId], Union[dict, Organisation]], list[Union[dict, Organisation]]]])

slots.roles = Slot(uri=SCHEMA.roleName, name="roles", curie=SCHEMA.curie('roleName'),
                   model_uri=BKG.roles, domain=None, range=Optional[Union[str, list[str]]])

slots.ror = Slot(uri=BKG.ror, name="ror", curie=BKG.curie('ror'),
                   model_uri=BKG.ror, domain=None, range=Optional[Union[str, URIorCURIE]],
                   pattern=re.compile(r'^(ror:|https://ror\.org/)0[a-z0-9]{6}[0-9]{2}$'))

slots.address = Slot(uri=SCHEMA.address, name="address", curie=SCHEMA.curie('address'),
                   model_uri=BKG.address, domain=None, range=Optional[str])

slots.path = Slot(uri=BKG.filePath, name="path", curie=BKG.curie('filePath'),
                   model_uri=BKG.path, domain=None, range=Optional[str])

slots.sha256 = Slot(uri=WFRUN.sha256, name="sha256", curie=WFRUN.curie('sha256'),
                   model_uri=BKG.sha256, domain=None, range=Optional[str],
                   pattern=re.compile(r'^[0-9a-f]{64}$'))

slots.md5 = Slot(uri=WFRUN.md5, name="md5", curie=WFRUN.curie('md5'),
                   model_uri=BKG.md5, domain=None, range=Optional[str],
                   pattern=re.compile(r'^[0-9a-f]{32}$'))

slots.size_bytes = Slot(uri=SCHEMA.contentSize, name="size_bytes", curie=SCHEMA.curie('contentSize'),
                   model_uri=BKG.size_bytes, domain=None, range=Optional[int])

slots.encoding_format = Slot(uri=SCHEMA.encodingFormat, name="encoding_format", curie=SCHEMA.curie('encodingFormat'),
                   model_uri=BKG.encoding_format, domain=None, range=Optional[str])

slots.accession = Slot(uri=DCT.identifier, name="accession", curie=DCT.curie('identifier'),
                   model_uri=BKG.accession, domain=None, range=Optional[str])

slots.title = Slot(uri=DCT.title, name="title", curie=DCT.curie('title'),
                   model_uri=BKG.title, domain=None, range=Optional[str])

slots.authors = Slot(uri=SCHEMA.author, name="authors", curie=SCHEMA.curie('author'),
                   model_uri=BKG.authors, domain=None, range=Optional[Union[dict[Union[str, PersonId], Union[dict, Person]], list[Union[dict, Person]]]])

slots.license = Slot(uri=DCT.license, name="license", curie=DCT.curie('license'),
                   model_uri=BKG.license, domain=None, range=Optional[str])

slots.keywords = Slot(uri=SCHEMA.keywords, name="keywords", curie=SCHEMA.curie('keywords'),
                   model_uri=BKG.keywords, domain=None, range=Optional[Union[str, list[str]]])

slots.release_date = Slot(uri=SCHEMA.datePublished, name="release_date", curie=SCHEMA.curie('datePublished'),
                   model_uri=BKG.release_date, domain=None, range=Optional[Union[str, XSDDate]])

slots.funding = Slot(uri=SCHEMA.funding, name="funding", curie=SCHEMA.curie('funding'),
                   model_uri=BKG.funding, domain=None, range=Optional[Union[dict[Union[str, GrantId], Union[dict, Grant]], list[Union[dict, Grant]]]])

slots.publications = Slot(uri=SCHEMA.citation, name="publications", curie=SCHEMA.curie('citation'),
                   model_uri=BKG.publications, domain=None, range=Optional[Union[dict[Union[str, PublicationId], Union[dict, Publication]], list[Union[dict, Publication]]]])

slots.acknowledgements = Slot(uri=BKG.acknowledgements, name="acknowledgements", curie=BKG.curie('acknowledgements'),
                   model_uri=BKG.acknowledgements, domain=None, range=Optional[str])

slots.see_also = Slot(uri=RDFS.seeAlso, name="see_also", curie=RDFS.curie('seeAlso'),
                   model_uri=BKG.see_also, domain=None, range=Optional[Union[Union[str, URI], list[Union[str, URI]]]])

slots.components = Slot(uri=DCT.hasPart, name="components", curie=DCT.curie('hasPart'),
                   model_uri=BKG.components, domain=None, range=Optional[Union[dict[Union[str, StudyComponentId], Union[dict, StudyComponent]], list[Union[dict, StudyComponent]]]])

slots.author_names = Slot(uri=BKG.authorNames, name="author_names", curie=BKG.curie('authorNames'),
                   model_uri=BKG.author_names, domain=None, range=Optional[str])

slots.year = Slot(uri=BKG.publicationYear, name="year", curie=BKG.curie('publicationYear'),
                   model_uri=BKG.year, domain=None, range=Optional[int])

slots.doi = Slot(uri=BKG.doi, name="doi", curie=BKG.curie('doi'),
                   model_uri=BKG.doi, domain=None, range=Optional[str],
                   pattern=re.compile(r'^10\.[0-9]{4,9}/\S+$'))

slots.pubmed_id = Slot(uri=BKG.pubmedId, name="pubmed_id", curie=BKG.curie('pubmedId'),
                   model_uri=BKG.pubmed_id, domain=None, range=Optional[str],
                   pattern=re.compile(r'^[0-9]+$'))

slots.grant_id = Slot(uri=SCHEMA.identifier, name="grant_id", curie=SCHEMA.curie('identifier'),
                   model_uri=BKG.grant_id, domain=None, range=Optional[str])

slots.funder = Slot(uri=SCHEMA.funder, name="funder", curie=SCHEMA.curie('funder'),
                   model_uri=BKG.funder, domain=None, range=Optional[Union[dict, Organisation]])

slots.biosamples = Slot(uri=BKG.biosample, name="biosamples", curie=BKG.curie('biosample'),
                   model_uri=BKG.biosamples, domain=None, range=Optional[Union[dict[Union[str, BiosampleId], Union[dict, Biosample]], list[Union[dict, Biosample]]]])

slots.specimens = Slot(uri=BKG.specimen, name="specimens", curie=BKG.curie('specimen'),
                   model_uri=BKG.specimens, domain=None, range=Optional[Union[dict[Union[str, SpecimenId], Union[dict, Specimen]], list[Union[dict, Specimen]]]])

slots.image_acquisitions = Slot(uri=BKG.imageAcquisition, name="image_acquisitions", curie=BKG.curie('imageAcquisition'),
                   model_uri=BKG.image_acquisitions, domain=None, range=Optional[Union[dict[Union[str, ImageAcquisitionId], Union[dict, ImageAcquisition]], list[Union[dict, ImageAcquisition]]]])

slots.image_data = Slot(uri=BKG.imageData, name="image_data", curie=BKG.curie('imageData'),
                   model_uri=BKG.image_data, domain=None, range=Optional[Union[dict[Union[str, ImageDataId], Union[dict, ImageData]], list[Union[dict, ImageData]]]])

slots.image_correlations = Slot(uri=BKG.imageCorrelation, name="image_correlations", curie=BKG.curie('imageCorrelation'),
                   model_uri=BKG.image_correlations, domain=None, range=Optional[Union[dict[Union[str, ImageCorrelationId], Union[dict, ImageCorrelation]], list[Union[dict, ImageCorrelation]]]])

slots.analysed_data = Slot(uri=BKG.analysedData, name="analysed_data", curie=BKG.curie('analysedData'),
                   model_uri=BKG.analysed_data, domain=None, range=Optional[Union[dict[Union[str, AnalysedDataId], Union[dict, AnalysedData]], list[Union[dict, AnalysedData]]]])

slots.annotation_sets = Slot(uri=BKG.annotationSet, name="annotation_sets", curie=BKG.curie('annotationSet'),
                   model_uri=BKG.annotation_sets, domain=None, range=Optional[Union[dict[Union[str, AnnotationsId], Union[dict, Annotations]], list[Union[dict, Annotations]]]])

slots.organism_name = Slot(uri=BKG.organismName, name="organism_name", curie=BKG.curie('organismName'),
                   model_uri=BKG.organism_name, domain=None, range=Optional[str])

slots.organism = Slot(uri=BKG.organism, name="organism", curie=BKG.curie('organism'),
                   model_uri=BKG.organism, domain=None, range=Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]],
                   pattern=re.compile(r'^(NCBITaxon:|http://purl\.obolibrary\.org/obo/NCBITaxon_)[0-9]+$'))

slots.biological_entity = Slot(uri=BKG.biologicalEntity, name="biological_entity", curie=BKG.curie('biologicalEntity'),
                   model_uri=BKG.biological_entity, domain=None, range=Optional[str])

slots.intrinsic_variables = Slot(uri=BKG.intrinsicVariable, name="intrinsic_variables", curie=BKG.curie('intrinsicVariable'),
                   model_uri=BKG.intrinsic_variables, domain=None, range=Optional[Union[str, list[str]]])

slots.extrinsic_variables = Slot(uri=BKG.extrinsicVariable, name="extrinsic_variables", curie=BKG.curie('extrinsicVariable'),
                   model_uri=BKG.extrinsic_variables, domain=None, range=Optional[Union[str, list[str]]])

slots.experimental_variables = Slot(uri=BKG.experimentalVariable, name="experimental_variables", curie=BKG.curie('experimentalVariable'),
                   model_uri=BKG.experimental_variables, domain=None, range=Optional[Union[str, list[str]]])

slots.sample_preparation_protocol = Slot(uri=BKG.samplePreparationProtocol, name="sample_preparation_protocol", curie=BKG.curie('samplePreparationProtocol'),
                   model_uri=BKG.sample_preparation_protocol, domain=None, range=Optional[str])

slots.growth_protocol = Slot(uri=BKG.growthProtocol, name="growth_protocol", curie=BKG.curie('growthProtocol'),
                   model_uri=BKG.growth_protocol, domain=None, range=Optional[str])

slots.signal_channels = Slot(uri=BKG.signalChannel, name="signal_channels", curie=BKG.curie('signalChannel'),
                   model_uri=BKG.signal_channels, domain=None, range=Optional[Union[Union[dict, SignalChannel], list[Union[dict, SignalChannel]]]])

slots.biosample = Slot(uri=BKG.fromBiosample, name="biosample", curie=BKG.curie('fromBiosample'),
                   model_uri=BKG.biosample, domain=None, range=Optional[Union[str, BiosampleId]])

slots.signal_contrast_mechanism = Slot(uri=BKG.signalContrastMechanism, name="signal_contrast_mechanism", curie=BKG.curie('signalContrastMechanism'),
                   model_uri=BKG.signal_contrast_mechanism, domain=None, range=Optional[str])

slots.channel_content = Slot(uri=BKG.channelContent, name="channel_content", curie=BKG.curie('channelContent'),
                   model_uri=BKG.channel_content, domain=None, range=Optional[str])

slots.channel_biological_entity = Slot(uri=BKG.channelBiologicalEntity, name="channel_biological_entity", curie=BKG.curie('channelBiologicalEntity'),
                   model_uri=BKG.channel_biological_entity, domain=None, range=Optional[str])

slots.channel_label = Slot(uri=BKG.channelLabel, name="channel_label", curie=BKG.curie('channelLabel'),
                   model_uri=BKG.channel_label, domain=None, range=Optional[str])

slots.instrument_description = Slot(uri=BKG.instrumentDescription, name="instrument_description", curie=BKG.curie('instrumentDescription'),
                   model_uri=BKG.instrument_description, domain=None, range=Optional[str])

slots.instrument = Slot(uri=OME.instrument, name="instrument", curie=OME.curie('instrument'),
                   model_uri=BKG.instrument, domain=None, range=Optional[Union[str, URIorCURIE]])

slots.imaging_method_name = Slot(uri=BKG.imagingMethodName, name="imaging_method_name", curie=BKG.curie('imagingMethodName'),
                   model_uri=BKG.imaging_method_name, domain=None, range=Optional[Union[str, list[str]]])

slots.imaging_method = Slot(uri=BKG.imagingMethod, name="imaging_method", curie=BKG.curie('imagingMethod'),
                   model_uri=BKG.imaging_method, domain=None, range=Optional[Union[Union[str, "ImagingMethod"], list[Union[str, "ImagingMethod"]]]])

slots.acquisition_parameters = Slot(uri=BKG.acquisitionParameters, name="acquisition_parameters", curie=BKG.curie('acquisitionParameters'),
                   model_uri=BKG.acquisition_parameters, domain=None, range=Optional[str])

slots.specimen = Slot(uri=BKG.fromSpecimen, name="specimen", curie=BKG.curie('fromSpecimen'),
                   model_uri=BKG.specimen, domain=None, range=Optional[Union[str, SpecimenId]])

slots.acquisition = Slot(uri=BKG.acquiredBy, name="acquisition", curie=BKG.curie('acquiredBy'),
                   model_uri=BKG.acquisition, domain=None, range=Optional[Union[str, ImageAcquisitionId]])

slots.files = Slot(uri=SCHEMA.hasPart, name="files", curie=SCHEMA.curie('hasPart'),
                   model_uri=BKG.files, domain=None, range=Optional[Union[dict[Union[str, FileId], Union[dict, File]], list[Union[dict, File]]]])

slots.ome_images = Slot(uri=BKG.omeImage, name="ome_images", curie=BKG.curie('omeImage'),
                   model_uri=BKG.ome_images, domain=None, range=Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]])

slots.spatial_temporal_alignment = Slot(uri=BKG.alignmentMethod, name="spatial_temporal_alignment", curie=BKG.curie('alignmentMethod'),
                   model_uri=BKG.spatial_temporal_alignment, domain=None, range=Optional[str])

slots.fiducials = Slot(uri=BKG.fiducials, name="fiducials", curie=BKG.curie('fiducials'),
                   model_uri=BKG.fiducials, domain=None, range=Optional[str])

slots.transformation_matrix = Slot(uri=BKG.transformationMatrix, name="transformation_matrix", curie=BKG.curie('transformationMatrix'),
                   model_uri=BKG.transformation_matrix, domain=None, range=Optional[str])

slots.related_images = Slot(uri=BKG.correlatedImageData, name="related_images", curie=BKG.curie('correlatedImageData'),
                   model_uri=BKG.related_images, domain=None, range=Optional[Union[Union[str, ImageDataId], list[Union[str, ImageDataId]]]])

slots.analysis_type = Slot(uri=BKG.analysisType, name="analysis_type", curie=BKG.curie('analysisType'),
                   model_uri=BKG.analysis_type, domain=None, range=Optional[str])

slots.generated_by = Slot(uri=PROV.wasGeneratedBy, name="generated_by", curie=PROV.curie('wasGeneratedBy'),
                   model_uri=BKG.generated_by, domain=None, range=Optional[Union[str, AnalysisRunId]])

slots.annotation_types = Slot(uri=BKG.annotationType, name="annotation_types", curie=BKG.curie('annotationType'),
                   model_uri=BKG.annotation_types, domain=None, range=Optional[Union[Union[str, "AnnotationType"], list[Union[str, "AnnotationType"]]]])

slots.annotation_method = Slot(uri=BKG.annotationMethod, name="annotation_method", curie=BKG.curie('annotationMethod'),
                   model_uri=BKG.annotation_method, domain=None, range=Optional[str])

slots.annotation_criteria = Slot(uri=BKG.annotationCriteria, name="annotation_criteria", curie=BKG.curie('annotationCriteria'),
                   model_uri=BKG.annotation_criteria, domain=None, range=Optional[str])

slots.annotation_coverage = Slot(uri=BKG.annotationCoverage, name="annotation_coverage", curie=BKG.curie('annotationCoverage'),
                   model_uri=BKG.annotation_coverage, domain=None, range=Optional[str])

slots.annotation_confidence = Slot(uri=BKG.annotationConfidence, name="annotation_confidence", curie=BKG.curie('annotationConfidence'),
                   model_uri=BKG.annotation_confidence, domain=None, range=Optional[str])

slots.manufacturer = Slot(uri=OME.manufacturer, name="manufacturer", curie=OME.curie('manufacturer'),
                   model_uri=BKG.manufacturer, domain=None, range=Optional[str])

slots.model = Slot(uri=OME.model, name="model", curie=OME.curie('model'),
                   model_uri=BKG.model, domain=None, range=Optional[str])

slots.catalog_number = Slot(uri=BKG.catalogNumber, name="catalog_number", curie=BKG.curie('catalogNumber'),
                   model_uri=BKG.catalog_number, domain=None, range=Optional[str])

slots.serial_number = Slot(uri=OME.serial_number, name="serial_number", curie=OME.curie('serial_number'),
                   model_uri=BKG.serial_number, domain=None, range=Optional[str])

slots.lot_number = Slot(uri=OME.lot_number, name="lot_number", curie=OME.curie('lot_number'),
                   model_uri=BKG.lot_number, domain=None, range=Optional[str])

slots.microscope = Slot(uri=OME.microscope, name="microscope", curie=OME.curie('microscope'),
                   model_uri=BKG.microscope, domain=None, range=Optional[Union[dict, MicroscopeStand]])

slots.objectives = Slot(uri=OME.objective, name="objectives", curie=OME.curie('objective'),
                   model_uri=BKG.objectives, domain=None, range=Optional[Union[dict[Union[str, ObjectiveId], Union[dict, Objective]], list[Union[dict, Objective]]]])

slots.lasers = Slot(uri=OME.laser, name="lasers", curie=OME.curie('laser'),
                   model_uri=BKG.lasers, domain=None, range=Optional[Union[dict[Union[str, LaserId], Union[dict, Laser]], list[Union[dict, Laser]]]])

slots.arcs = Slot(uri=OME.arc, name="arcs", curie=OME.curie('arc'),
                   model_uri=BKG.arcs, domain=None, range=Optional[Union[dict[Union[str, ArcId], Union[dict, Arc]], list[Union[dict, Arc]]]])

slots.filaments = Slot(uri=OME.filament, name="filaments", curie=OME.curie('filament'),
                   model_uri=BKG.filaments, domain=None, range=Optional[Union[dict[Union[str, FilamentId], Union[dict, Filament]], list[Union[dict, Filament]]]])

slots.light_emitting_diodes = Slot(uri=OME.light_emitting_diode, name="light_emitting_diodes", curie=OME.curie('light_emitting_diode'),
                   model_uri=BKG.light_emitting_diodes, domain=None, range=Optional[Union[dict[Union[str, LightEmittingDiodeId], Union[dict, LightEmittingDiode]], list[Union[dict, LightEmittingDiode]]]])

slots.detectors = Slot(uri=OME.detector, name="detectors", curie=OME.curie('detector'),
                   model_uri=BKG.detectors, domain=None, range=Optional[Union[dict[Union[str, DetectorId], Union[dict, Detector]], list[Union[dict, Detector]]]])

slots.filters = Slot(uri=OME.filter, name="filters", curie=OME.curie('filter'),
                   model_uri=BKG.filters, domain=None, range=Optional[Union[dict[Union[str, FilterId], Union[dict, Filter]], list[Union[dict, Filter]]]])

slots.dichroics = Slot(uri=OME.dichroic, name="dichroics", curie=OME.curie('dichroic'),
                   model_uri=BKG.dichroics, domain=None, range=Optional[Union[dict[Union[str, DichroicId], Union[dict, Dichroic]], list[Union[dict, Dichroic]]]])

slots.filter_sets = Slot(uri=OME.filter_set, name="filter_sets", curie=OME.curie('filter_set'),
                   model_uri=BKG.filter_sets, domain=None, range=Optional[Union[dict[Union[str, FilterSetId], Union[dict, FilterSet]], list[Union[dict, FilterSet]]]])

slots.calibrations = Slot(uri=BKG.calibration, name="calibrations", curie=BKG.curie('calibration'),
                   model_uri=BKG.calibrations, domain=None, range=Optional[Union[dict[Union[str, OpticalCalibrationId], Union[dict, OpticalCalibration]], list[Union[dict, OpticalCalibration]]]])

slots.type = Slot(uri=OME.type, name="type", curie=OME.curie('type'),
                   model_uri=BKG.type, domain=None, range=Optional[str])

slots.origin = Slot(uri=BKG.standOrigin, name="origin", curie=BKG.curie('standOrigin'),
                   model_uri=BKG.origin, domain=None, range=Optional[Union[str, "StandOrigin"]])

slots.eyepiece_field_number = Slot(uri=BKG.eyepieceFieldNumber, name="eyepiece_field_number", curie=BKG.curie('eyepieceFieldNumber'),
                   model_uri=BKG.eyepiece_field_number, domain=None, range=Optional[float])

slots.nominal_magnification = Slot(uri=OME.nominal_magnification, name="nominal_magnification", curie=OME.curie('nominal_magnification'),
                   model_uri=BKG.nominal_magnification, domain=None, range=Optional[float])

slots.lens_na = Slot(uri=OME.lens_na, name="lens_na", curie=OME.curie('lens_na'),
                   model_uri=BKG.lens_na, domain=None, range=Optional[float])

slots.correction = Slot(uri=OME.correction, name="correction", curie=OME.curie('correction'),
                   model_uri=BKG.correction, domain=None, range=Optional[Union[str, "Correction"]])

slots.immersion = Slot(uri=OME.immersion, name="immersion", curie=OME.curie('immersion'),
                   model_uri=BKG.immersion, domain=None, range=Optional[Union[str, "Immersion"]])

slots.infinity_corrected = Slot(uri=BKG.infinityCorrected, name="infinity_corrected", curie=BKG.curie('infinityCorrected'),
                   model_uri=BKG.infinity_corrected, domain=None, range=Optional[Union[bool, Bool]])

slots.working_distance = Slot(uri=OME.working_distance, name="working_distance", curie=OME.curie('working_distance'),
                   model_uri=BKG.working_distance, domain=None, range=Optional[Union[dict, QuantityValue]])

slots.iris = Slot(uri=OME.iris, name="iris", curie=OME.curie('iris'),
                   model_uri=BKG.iris, domain=None, range=Optional[Union[bool, Bool]])

slots.calibrated_magnification = Slot(uri=OME.calibrated_magnification, name="calibrated_magnification", curie=OME.curie('calibrated_magnification'),
                   model_uri=BKG.calibrated_magnification, domain=None, range=Optional[float])

slots.field_number = Slot(uri=BKG.objectiveFieldNumber, name="field_number", curie=BKG.curie('objectiveFieldNumber'),
                   model_uri=BKG.field_number, domain=None, range=Optional[float])

slots.power = Slot(uri=OME.power, name="power", curie=OME.curie('power'),
                   model_uri=BKG.power, domain=None, range=Optional[Union[dict, QuantityValue]])

slots.wavelength = Slot(uri=OME.wavelength, name="wavelength", curie=OME.curie('wavelength'),
                   model_uri=BKG.wavelength, domain=None, range=Optional[Union[dict, QuantityValue]])

slots.purchase_date = Slot(uri=BKG.purchaseDate, name="purchase_date", curie=BKG.curie('purchaseDate'),
                   model_uri=BKG.purchase_date, domain=None, range=Optional[Union[str, XSDDate]])

slots.tuneable = Slot(uri=OME.tuneable, name="tuneable", curie=OME.curie('tuneable'),
                   model_uri=BKG.tuneable, domain=None, range=Optional[Union[bool, Bool]])

slots.pulse = Slot(uri=OME.pulse, name="pulse", curie=OME.curie('pulse'),
                   model_uri=BKG.pulse, domain=None, range=Optional[Union[str, "Pulse"]])

slots.laser_medium = Slot(uri=OME.laser_medium, name="laser_medium", curie=OME.curie('laser_medium'),
                   model_uri=BKG.laser_medium, domain=None, range=Optional[str])

slots.repetition_rate = Slot(uri=OME.repetition_rate, name="repetition_rate", curie=OME.curie('repetition_rate'),
                   model_uri=BKG.repetition_rate, domain=None, range=Optional[Union[dict, QuantityValue]])

slots.cut_in = Slot(uri=OME.cut_in, name="cut_in", curie=OME.curie('cut_in'),
                   model_uri=BKG.cut_in, domain=None, range=Optional[Union[dict, QuantityValue]])

slots.cut_out = Slot(uri=OME.cut_out, name="cut_out", curie=OME.curie('cut_out'),
                   model_uri=BKG.cut_out, domain=None, range=Optional[Union[dict, QuantityValue]])

slots.pixel_size = Slot(uri=BKG.detectorPixelSize, name="pixel_size", curie=BKG.curie('detectorPixelSize'),
                   model_uri=BKG.pixel_size, domain=None, range=Optional[Union[dict, QuantityValue]])

slots.max_bit_depth = Slot(uri=BKG.maxBitDepth, name="max_bit_depth", curie=BKG.curie('maxBitDepth'),
                   model_uri=BKG.max_bit_depth, domain=None, range=Optional[int])

slots.quantum_efficiency = Slot(uri=BKG.quantumEfficiency, name="quantum_efficiency", curie=BKG.curie('quantumEfficiency'),
                   model_uri=BKG.quantum_efficiency, domain=None, range=Optional[float])

slots.read_noise = Slot(uri=BKG.readNoise, name="read_noise", curie=BKG.curie('readNoise'),
                   model_uri=BKG.read_noise, domain=None, range=Optional[float])

slots.dark_current = Slot(uri=BKG.darkCurrent, name="dark_current", curie=BKG.curie('darkCurrent'),
                   model_uri=BKG.dark_current, domain=None, range=Optional[float])

slots.conversion_factor = Slot(uri=BKG.electronConversionFactor, name="conversion_factor", curie=BKG.curie('electronConversionFactor'),
                   model_uri=BKG.conversion_factor, domain=None, range=Optional[float])

slots.operating_temperature = Slot(uri=BKG.operatingTemperature, name="operating_temperature", curie=BKG.curie('operatingTemperature'),
                   model_uri=BKG.operating_temperature, domain=None, range=Optional[Union[dict, QuantityValue]])

slots.transmittance = Slot(uri=OME.transmittance, name="transmittance", curie=OME.curie('transmittance'),
                   model_uri=BKG.transmittance, domain=None, range=Optional[float])

slots.cut_in_tolerance = Slot(uri=OME.cut_in_tolerance, name="cut_in_tolerance", curie=OME.curie('cut_in_tolerance'),
                   model_uri=BKG.cut_in_tolerance, domain=None, range=Optional[Union[dict, QuantityValue]])

slots.cut_out_tolerance = Slot(uri=OME.cut_out_tolerance, name="cut_out_tolerance", curie=OME.curie('cut_out_tolerance'),
                   model_uri=BKG.cut_out_tolerance, domain=None, range=Optional[Union[dict, QuantityValue]])

slots.transmittance_range = Slot(uri=OME.transmittance_range, name="transmittance_range", curie=OME.curie('transmittance_range'),
                   model_uri=BKG.transmittance_range, domain=None, range=Optional[Union[dict, TransmittanceRange]])

slots.coating_method = Slot(uri=BKG.coatingMethod, name="coating_method", curie=BKG.curie('coatingMethod'),
                   model_uri=BKG.coating_method, domain=None, range=Optional[Union[str, "CoatingMethod"]])

slots.filter_wheel = Slot(uri=OME.filter_wheel, name="filter_wheel", curie=OME.curie('filter_wheel'),
                   model_uri=BKG.filter_wheel, domain=None, range=Optional[str])

slots.excitation_filters = Slot(uri=OME.excitation_filter, name="excitation_filters", curie=OME.curie('excitation_filter'),
                   model_uri=BKG.excitation_filters, domain=None, range=Optional[Union[Union[str, FilterId], list[Union[str, FilterId]]]])

slots.emission_filters = Slot(uri=OME.emission_filter, name="emission_filters", curie=OME.curie('emission_filter'),
                   model_uri=BKG.emission_filters, domain=None, range=Optional[Union[Union[str, FilterId], list[Union[str, FilterId]]]])

slots.calibration_date = Slot(uri=DCT.date, name="calibration_date", curie=DCT.curie('date'),
                   model_uri=BKG.calibration_date, domain=None, range=Optional[Union[str, XSDDate]])

slots.objective = Slot(uri=BKG.objectiveUsed, name="objective", curie=BKG.curie('objectiveUsed'),
                   model_uri=BKG.objective, domain=None, range=Optional[Union[str, ObjectiveId]])

slots.emission_wavelength = Slot(uri=OME.emission_wavelength, name="emission_wavelength", curie=OME.curie('emission_wavelength'),
                   model_uri=BKG.emission_wavelength, domain=None, range=Optional[Union[dict, QuantityValue]])

slots.theoretical_xy_spot_size = Slot(uri=BKG.theoreticalLateralSpotSize, name="theoretical_xy_spot_size", curie=BKG.curie('theoreticalLateralSpotSize'),
                   model_uri=BKG.theoretical_xy_spot_size, domain=None, range=Optional[Union[dict, QuantityValue]])

slots.median_xy_spot_size = Slot(uri=BKG.medianLateralSpotSize, name="median_xy_spot_size", curie=BKG.curie('medianLateralSpotSize'),
                   model_uri=BKG.median_xy_spot_size, domain=None, range=Optional[Union[dict, QuantityValue]])

slots.min_xy_spot_size = Slot(uri=BKG.minLateralSpotSize, name="min_xy_spot_size", curie=BKG.curie('minLateralSpotSize'),
                   model_uri=BKG.min_xy_spot_size, domain=None, range=Optional[Union[dict, QuantityValue]])

slots.max_xy_spot_size = Slot(uri=BKG.maxLateralSpotSize, name="max_xy_spot_size", curie=BKG.curie('maxLateralSpotSize'),
                   model_uri=BKG.max_xy_spot_size, domain=None, range=Optional[Union[dict, QuantityValue]])

slots.theoretical_z_spot_size = Slot(uri=BKG.theoreticalAxialSpotSize, name="theoretical_z_spot_size", curie=BKG.curie('theoreticalAxialSpotSize'),
                   model_uri=BKG.theoretical_z_spot_size, domain=None, range=Optional[Union[dict, QuantityValue]])

slots.median_z_spot_size = Slot(uri=BKG.medianAxialSpotSize, name="median_z_spot_size", curie=BKG.curie('medianAxialSpotSize'),
                   model_uri=BKG.median_z_spot_size, domain=None, range=Optional[Union[dict, QuantityValue]])

slots.sample_size = Slot(uri=BKG.sampleSize, name="sample_size", curie=BKG.curie('sampleSize'),
                   model_uri=BKG.sample_size, domain=None, range=Optional[int])

slots.psf_fit = Slot(uri=BKG.psfFitModel, name="psf_fit", curie=BKG.curie('psfFitModel'),
                   model_uri=BKG.psf_fit, domain=None, range=Optional[str])

slots.nyquist_ratio = Slot(uri=BKG.nyquistRatio, name="nyquist_ratio", curie=BKG.curie('nyquistRatio'),
                   model_uri=BKG.nyquist_ratio, domain=None, range=Optional[float])

slots.lateral_asymmetry = Slot(uri=BKG.lateralAsymmetry, name="lateral_asymmetry", curie=BKG.curie('lateralAsymmetry'),
                   model_uri=BKG.lateral_asymmetry, domain=None, range=Optional[float])

slots.calibration_image = Slot(uri=BKG.calibrationImage, name="calibration_image", curie=BKG.curie('calibrationImage'),
                   model_uri=BKG.calibration_image, domain=None, range=Optional[Union[str, URIorCURIE]])

slots.software = Slot(uri=SCHEMA.instrument, name="software", curie=SCHEMA.curie('instrument'),
                   model_uri=BKG.software, domain=None, range=Optional[Union[dict, SoftwareApplication]])

slots.environment_lock = Slot(uri=BKG.environmentLock, name="environment_lock", curie=BKG.curie('environmentLock'),
                   model_uri=BKG.environment_lock, domain=None, range=Optional[Union[Union[dict, InstalledDistribution], list[Union[dict, InstalledDistribution]]]])

slots.parameters = Slot(uri=BKG.parameter, name="parameters", curie=BKG.curie('parameter'),
                   model_uri=BKG.parameters, domain=None, range=Optional[Union[Union[dict, ParameterValue], list[Union[dict, ParameterValue]]]])

slots.container_image = Slot(uri=WFRUN.containerImage, name="container_image", curie=WFRUN.curie('containerImage'),
                   model_uri=BKG.container_image, domain=None, range=Optional[Union[dict, ContainerImage]])

slots.random_seeds = Slot(uri=BKG.randomSeed, name="random_seeds", curie=BKG.curie('randomSeed'),
                   model_uri=BKG.random_seeds, domain=None, range=Optional[Union[Union[dict, RandomSeed], list[Union[dict, RandomSeed]]]])

slots.model_weights = Slot(uri=BKG.modelWeights, name="model_weights", curie=BKG.curie('modelWeights'),
                   model_uri=BKG.model_weights, domain=None, range=Optional[Union[dict[Union[str, ModelWeightsId], Union[dict, ModelWeights]], list[Union[dict, ModelWeights]]]])

slots.hardware = Slot(uri=BKG.hardware, name="hardware", curie=BKG.curie('hardware'),
                   model_uri=BKG.hardware, domain=None, range=Optional[Union[dict, Hardware]])

slots.inputs = Slot(uri=SCHEMA.object, name="inputs", curie=SCHEMA.curie('object'),
                   model_uri=BKG.inputs, domain=None, range=Optional[Union[dict[Union[str, FileId], Union[dict, File]], list[Union[dict, File]]]])

slots.outputs = Slot(uri=SCHEMA.result, name="outputs", curie=SCHEMA.curie('result'),
                   model_uri=BKG.outputs, domain=None, range=Optional[Union[dict[Union[str, FileId], Union[dict, File]], list[Union[dict, File]]]])

slots.start_time = Slot(uri=SCHEMA.startTime, name="start_time", curie=SCHEMA.curie('startTime'),
                   model_uri=BKG.start_time, domain=None, range=Optional[Union[str, XSDDateTime]])

slots.end_time = Slot(uri=SCHEMA.endTime, name="end_time", curie=SCHEMA.curie('endTime'),
                   model_uri=BKG.end_time, domain=None, range=Optional[Union[str, XSDDateTime]])

slots.agent = Slot(uri=SCHEMA.agent, name="agent", curie=SCHEMA.curie('agent'),
                   model_uri=BKG.agent, domain=None, range=Optional[Union[dict, Person]])

slots.command_line = Slot(uri=BKG.commandLine, name="command_line", curie=BKG.curie('commandLine'),
                   model_uri=BKG.command_line, domain=None, range=Optional[str])

slots.exit_code = Slot(uri=BKG.exitCode, name="exit_code", curie=BKG.curie('exitCode'),
                   model_uri=BKG.exit_code, domain=None, range=Optional[int])

slots.version = Slot(uri=SCHEMA.softwareVersion, name="version", curie=SCHEMA.curie('softwareVersion'),
                   model_uri=BKG.version, domain=None, range=Optional[str])

slots.url = Slot(uri=SCHEMA.url, name="url", curie=SCHEMA.curie('url'),
                   model_uri=BKG.url, domain=None, range=Optional[Union[str, URI]])

slots.git_commit = Slot(uri=BKG.gitCommit, name="git_commit", curie=BKG.curie('gitCommit'),
                   model_uri=BKG.git_commit, domain=None, range=Optional[str],
                   pattern=re.compile(r'^[0-9a-f]{40}([0-9a-f]{24})?$'))

slots.git_dirty = Slot(uri=BKG.gitDirty, name="git_dirty", curie=BKG.curie('gitDirty'),
                   model_uri=BKG.git_dirty, domain=None, range=Optional[Union[bool, Bool]])

slots.package_manager = Slot(uri=BKG.packageManager, name="package_manager", curie=BKG.curie('packageManager'),
                   model_uri=BKG.package_manager, domain=None, range=Optional[str])

slots.value = Slot(uri=SCHEMA.value, name="value", curie=SCHEMA.curie('value'),
                   model_uri=BKG.value, domain=None, range=Optional[str])

slots.registry = Slot(uri=WFRUN.registry, name="registry", curie=WFRUN.curie('registry'),
                   model_uri=BKG.registry, domain=None, range=Optional[str])

slots.tag = Slot(uri=WFRUN.tag, name="tag", curie=WFRUN.curie('tag'),
                   model_uri=BKG.tag, domain=None, range=Optional[str])

slots.seed_value = Slot(uri=BKG.seedValue, name="seed_value", curie=BKG.curie('seedValue'),
                   model_uri=BKG.seed_value, domain=None, range=Optional[int])

slots.generator = Slot(uri=BKG.seedGenerator, name="generator", curie=BKG.curie('seedGenerator'),
                   model_uri=BKG.generator, domain=None, range=Optional[str])

slots.cpu_model = Slot(uri=BKG.cpuModel, name="cpu_model", curie=BKG.curie('cpuModel'),
                   model_uri=BKG.cpu_model, domain=None, range=Optional[str])

slots.cpu_count = Slot(uri=BKG.cpuCount, name="cpu_count", curie=BKG.curie('cpuCount'),
                   model_uri=BKG.cpu_count, domain=None, range=Optional[int])

slots.memory_bytes = Slot(uri=BKG.memoryBytes, name="memory_bytes", curie=BKG.curie('memoryBytes'),
                   model_uri=BKG.memory_bytes, domain=None, range=Optional[int])

slots.operating_system = Slot(uri=BKG.operatingSystem, name="operating_system", curie=BKG.curie('operatingSystem'),
                   model_uri=BKG.operating_system, domain=None, range=Optional[str])

slots.architecture = Slot(uri=BKG.architecture, name="architecture", curie=BKG.curie('architecture'),
                   model_uri=BKG.architecture, domain=None, range=Optional[str])

slots.gpus = Slot(uri=BKG.gpu, name="gpus", curie=BKG.curie('gpu'),
                   model_uri=BKG.gpus, domain=None, range=Optional[Union[Union[dict, GPU], list[Union[dict, GPU]]]])

slots.gpu_model = Slot(uri=BKG.gpuModel, name="gpu_model", curie=BKG.curie('gpuModel'),
                   model_uri=BKG.gpu_model, domain=None, range=Optional[str])

slots.driver_version = Slot(uri=BKG.gpuDriverVersion, name="driver_version", curie=BKG.curie('gpuDriverVersion'),
                   model_uri=BKG.driver_version, domain=None, range=Optional[str])

slots.compute_api_version = Slot(uri=BKG.computeApiVersion, name="compute_api_version", curie=BKG.curie('computeApiVersion'),
                   model_uri=BKG.compute_api_version, domain=None, range=Optional[str])

slots.Thing_name = Slot(uri=SCHEMA.name, name="Thing_name", curie=SCHEMA.curie('name'),
                   model_uri=BKG.Thing_name, domain=Thing, range=Optional[str])

slots.Thing_description = Slot(uri=DCT.description, name="Thing_description", curie=DCT.curie('description'),
                   model_uri=BKG.Thing_description, domain=Thing, range=Optional[str])

slots.QuantityValue_numeric_value = Slot(uri=QUDT.numericValue, name="QuantityValue_numeric_value", curie=QUDT.curie('numericValue'),
                   model_uri=BKG.QuantityValue_numeric_value, domain=QuantityValue, range=float)

slots.QuantityValue_unit = Slot(uri=QUDT.unit, name="QuantityValue_unit", curie=QUDT.curie('unit'),
                   model_uri=BKG.QuantityValue_unit, domain=QuantityValue, range=Union[str, URIorCURIE],
                   pattern=re.compile(r'^(unit:|http://qudt\.org/vocab/unit/)[A-Za-z0-9_-]+$'))

slots.Person_orcid = Slot(uri=BKG.orcid, name="Person_orcid", curie=BKG.curie('orcid'),
                   model_uri=BKG.Person_orcid, domain=Person, range=Optional[Union[str, URIorCURIE]],
                   pattern=re.compile(r'^(orcid:|https://orcid\.org/)[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$'))

slots.Person_email = Slot(uri=SCHEMA.email, name="Person_email", curie=SCHEMA.curie('email'),
                   model_uri=BKG.Person_email, domain=Person, range=Optional[str])

slots.Person_affiliations = Slot(uri=SCHEMA.affiliation, name="Person_affiliations", curie=SCHEMA.curie('affiliation'),
                   model_uri=BKG.Person_affiliations, domain=Person, range=Optional[Union[dict[Union[str, OrganisationId], Union[dict, "Organisation"]], list[Union[dict, "Organisation"]]]])

slots.Person_roles = Slot(uri=SCHEMA.roleName, name="Person_roles", curie=SCHEMA.curie('roleName'),
                   model_uri=BKG.Person_roles, domain=Person, range=Optional[Union[str, list[str]]])

slots.Organisation_ror = Slot(uri=BKG.ror, name="Organisation_ror", curie=BKG.curie('ror'),
                   model_uri=BKG.Organisation_ror, domain=Organisation, range=Optional[Union[str, URIorCURIE]],
                   pattern=re.compile(r'^(ror:|https://ror\.org/)0[a-z0-9]{6}[0-9]{2}$'))

slots.Organisation_address = Slot(uri=SCHEMA.address, name="Organisation_address", curie=SCHEMA.curie('address'),
                   model_uri=BKG.Organisation_address, domain=Organisation, range=Optional[str])

slots.File_path = Slot(uri=BKG.filePath, name="File_path", curie=BKG.curie('filePath'),
                   model_uri=BKG.File_path, domain=File, range=Optional[str])

slots.File_sha256 = Slot(uri=WFRUN.sha256, name="File_sha256", curie=WFRUN.curie('sha256'),
                   model_uri=BKG.File_sha256, domain=File, range=Optional[str],
                   pattern=re.compile(r'^[0-9a-f]{64}$'))

slots.File_md5 = Slot(uri=WFRUN.md5, name="File_md5", curie=WFRUN.curie('md5'),
                   model_uri=BKG.File_md5, domain=File, range=Optional[str],
                   pattern=re.compile(r'^[0-9a-f]{32}$'))

slots.File_size_bytes = Slot(uri=SCHEMA.contentSize, name="File_size_bytes", curie=SCHEMA.curie('contentSize'),
                   model_uri=BKG.File_size_bytes, domain=File, range=Optional[int])

slots.File_encoding_format = Slot(uri=SCHEMA.encodingFormat, name="File_encoding_format", curie=SCHEMA.curie('encodingFormat'),
                   model_uri=BKG.File_encoding_format, domain=File, range=Optional[str])

slots.Study_description = Slot(uri=DCT.description, name="Study_description", curie=DCT.curie('description'),
                   model_uri=BKG.Study_description, domain=Study, range=str)

slots.Study_accession = Slot(uri=DCT.identifier, name="Study_accession", curie=DCT.curie('identifier'),
                   model_uri=BKG.Study_accession, domain=Study, range=Optional[str])

slots.Study_title = Slot(uri=DCT.title, name="Study_title", curie=DCT.curie('title'),
                   model_uri=BKG.Study_title, domain=Study, range=str)

slots.Study_authors = Slot(uri=SCHEMA.author, name="Study_authors", curie=SCHEMA.curie('author'),
                   model_uri=BKG.Study_authors, domain=Study, range=Union[dict[Union[str, PersonId], Union[dict, Person]], list[Union[dict, Person]]])

slots.Study_license = Slot(uri=DCT.license, name="Study_license", curie=DCT.curie('license'),
                   model_uri=BKG.Study_license, domain=Study, range=str)

slots.Study_keywords = Slot(uri=SCHEMA.keywords, name="Study_keywords", curie=SCHEMA.curie('keywords'),
                   model_uri=BKG.Study_keywords, domain=Study, range=Optional[Union[str, list[str]]])

slots.Study_release_date = Slot(uri=SCHEMA.datePublished, name="Study_release_date", curie=SCHEMA.curie('datePublished'),
                   model_uri=BKG.Study_release_date, domain=Study, range=Optional[Union[str, XSDDate]])

slots.Study_funding = Slot(uri=SCHEMA.funding, name="Study_funding", curie=SCHEMA.curie('funding'),
                   model_uri=BKG.Study_funding, domain=Study, range=Optional[Union[dict[Union[str, GrantId], Union[dict, "Grant"]], list[Union[dict, "Grant"]]]])

slots.Study_publications = Slot(uri=SCHEMA.citation, name="Study_publications", curie=SCHEMA.curie('citation'),
                   model_uri=BKG.Study_publications, domain=Study, range=Optional[Union[dict[Union[str, PublicationId], Union[dict, "Publication"]], list[Union[dict, "Publication"]]]])

slots.Study_acknowledgements = Slot(uri=BKG.acknowledgements, name="Study_acknowledgements", curie=BKG.curie('acknowledgements'),
                   model_uri=BKG.Study_acknowledgements, domain=Study, range=Optional[str])

slots.Study_see_also = Slot(uri=RDFS.seeAlso, name="Study_see_also", curie=RDFS.curie('seeAlso'),
                   model_uri=BKG.Study_see_also, domain=Study, range=Optional[Union[Union[str, URI], list[Union[str, URI]]]])

slots.Study_components = Slot(uri=DCT.hasPart, name="Study_components", curie=DCT.curie('hasPart'),
                   model_uri=BKG.Study_components, domain=Study, range=Union[dict[Union[str, StudyComponentId], Union[dict, "StudyComponent"]], list[Union[dict, "StudyComponent"]]])

slots.Publication_title = Slot(uri=DCT.title, name="Publication_title", curie=DCT.curie('title'),
                   model_uri=BKG.Publication_title, domain=Publication, range=Optional[str])

slots.Publication_author_names = Slot(uri=BKG.authorNames, name="Publication_author_names", curie=BKG.curie('authorNames'),
                   model_uri=BKG.Publication_author_names, domain=Publication, range=Optional[str])

slots.Publication_year = Slot(uri=BKG.publicationYear, name="Publication_year", curie=BKG.curie('publicationYear'),
                   model_uri=BKG.Publication_year, domain=Publication, range=Optional[int])

slots.Publication_doi = Slot(uri=BKG.doi, name="Publication_doi", curie=BKG.curie('doi'),
                   model_uri=BKG.Publication_doi, domain=Publication, range=Optional[str],
                   pattern=re.compile(r'^10\.[0-9]{4,9}/\S+$'))

slots.Publication_pubmed_id = Slot(uri=BKG.pubmedId, name="Publication_pubmed_id", curie=BKG.curie('pubmedId'),
                   model_uri=BKG.Publication_pubmed_id, domain=Publication, range=Optional[str],
                   pattern=re.compile(r'^[0-9]+$'))

slots.Grant_grant_id = Slot(uri=SCHEMA.identifier, name="Grant_grant_id", curie=SCHEMA.curie('identifier'),
                   model_uri=BKG.Grant_grant_id, domain=Grant, range=Optional[str])

slots.Grant_funder = Slot(uri=SCHEMA.funder, name="Grant_funder", curie=SCHEMA.curie('funder'),
                   model_uri=BKG.Grant_funder, domain=Grant, range=Optional[Union[dict, Organisation]])

slots.StudyComponent_name = Slot(uri=SCHEMA.name, name="StudyComponent_name", curie=SCHEMA.curie('name'),
                   model_uri=BKG.StudyComponent_name, domain=StudyComponent, range=str)

slots.StudyComponent_description = Slot(uri=DCT.description, name="StudyComponent_description", curie=DCT.curie('description'),
                   model_uri=BKG.StudyComponent_description, domain=StudyComponent, range=str)

slots.StudyComponent_biosamples = Slot(uri=BKG.biosample, name="StudyComponent_biosamples", curie=BKG.curie('biosample'),
                   model_uri=BKG.StudyComponent_biosamples, domain=StudyComponent, range=Optional[Union[dict[Union[str, BiosampleId], Union[dict, "Biosample"]], list[Union[dict, "Biosample"]]]])

slots.StudyComponent_specimens = Slot(uri=BKG.specimen, name="StudyComponent_specimens", curie=BKG.curie('specimen'),
                   model_uri=BKG.StudyComponent_specimens, domain=StudyComponent, range=Optional[Union[dict[Union[str, SpecimenId], Union[dict, "Specimen"]], list[Union[dict, "Specimen"]]]])

slots.StudyComponent_image_acquisitions = Slot(uri=BKG.imageAcquisition, name="StudyComponent_image_acquisitions", curie=BKG.curie('imageAcquisition'),
                   model_uri=BKG.StudyComponent_image_acquisitions, domain=StudyComponent, range=Optional[Union[dict[Union[str, ImageAcquisitionId], Union[dict, "ImageAcquisition"]], list[Union[dict, "ImageAcquisition"]]]])

slots.StudyComponent_image_data = Slot(uri=BKG.imageData, name="StudyComponent_image_data", curie=BKG.curie('imageData'),
                   model_uri=BKG.StudyComponent_image_data, domain=StudyComponent, range=Optional[Union[dict[Union[str, ImageDataId], Union[dict, "ImageData"]], list[Union[dict, "ImageData"]]]])

slots.StudyComponent_image_correlations = Slot(uri=BKG.imageCorrelation, name="StudyComponent_image_correlations", curie=BKG.curie('imageCorrelation'),
                   model_uri=BKG.StudyComponent_image_correlations, domain=StudyComponent, range=Optional[Union[dict[Union[str, ImageCorrelationId], Union[dict, "ImageCorrelation"]], list[Union[dict, "ImageCorrelation"]]]])

slots.StudyComponent_analysed_data = Slot(uri=BKG.analysedData, name="StudyComponent_analysed_data", curie=BKG.curie('analysedData'),
                   model_uri=BKG.StudyComponent_analysed_data, domain=StudyComponent, range=Optional[Union[dict[Union[str, AnalysedDataId], Union[dict, "AnalysedData"]], list[Union[dict, "AnalysedData"]]]])

slots.StudyComponent_annotation_sets = Slot(uri=BKG.annotationSet, name="StudyComponent_annotation_sets", curie=BKG.curie('annotationSet'),
                   model_uri=BKG.StudyComponent_annotation_sets, domain=StudyComponent, range=Optional[Union[dict[Union[str, AnnotationsId], Union[dict, "Annotations"]], list[Union[dict, "Annotations"]]]])

slots.Biosample_name = Slot(uri=SCHEMA.name, name="Biosample_name", curie=SCHEMA.curie('name'),
                   model_uri=BKG.Biosample_name, domain=Biosample, range=str)

slots.Biosample_description = Slot(uri=DCT.description, name="Biosample_description", curie=DCT.curie('description'),
                   model_uri=BKG.Biosample_description, domain=Biosample, range=Optional[str])

slots.Biosample_organism_name = Slot(uri=BKG.organismName, name="Biosample_organism_name", curie=BKG.curie('organismName'),
                   model_uri=BKG.Biosample_organism_name, domain=Biosample, range=str)

slots.Biosample_organism = Slot(uri=BKG.organism, name="Biosample_organism", curie=BKG.curie('organism'),
                   model_uri=BKG.Biosample_organism, domain=Biosample, range=Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]],
                   pattern=re.compile(r'^(NCBITaxon:|http://purl\.obolibrary\.org/obo/NCBITaxon_)[0-9]+$'))

slots.Biosample_biological_entity = Slot(uri=BKG.biologicalEntity, name="Biosample_biological_entity", curie=BKG.curie('biologicalEntity'),
                   model_uri=BKG.Biosample_biological_entity, domain=Biosample, range=str)

slots.Biosample_intrinsic_variables = Slot(uri=BKG.intrinsicVariable, name="Biosample_intrinsic_variables", curie=BKG.curie('intrinsicVariable'),
                   model_uri=BKG.Biosample_intrinsic_variables, domain=Biosample, range=Optional[Union[str, list[str]]])

slots.Biosample_extrinsic_variables = Slot(uri=BKG.extrinsicVariable, name="Biosample_extrinsic_variables", curie=BKG.curie('extrinsicVariable'),
                   model_uri=BKG.Biosample_extrinsic_variables, domain=Biosample, range=Optional[Union[str, list[str]]])

slots.Biosample_experimental_variables = Slot(uri=BKG.experimentalVariable, name="Biosample_experimental_variables", curie=BKG.curie('experimentalVariable'),
                   model_uri=BKG.Biosample_experimental_variables, domain=Biosample, range=Optional[Union[str, list[str]]])

slots.Specimen_name = Slot(uri=SCHEMA.name, name="Specimen_name", curie=SCHEMA.curie('name'),
                   model_uri=BKG.Specimen_name, domain=Specimen, range=Optional[str])

slots.Specimen_sample_preparation_protocol = Slot(uri=BKG.samplePreparationProtocol, name="Specimen_sample_preparation_protocol", curie=BKG.curie('samplePreparationProtocol'),
                   model_uri=BKG.Specimen_sample_preparation_protocol, domain=Specimen, range=str)

slots.Specimen_growth_protocol = Slot(uri=BKG.growthProtocol, name="Specimen_growth_protocol", curie=BKG.curie('growthProtocol'),
                   model_uri=BKG.Specimen_growth_protocol, domain=Specimen, range=Optional[str])

slots.Specimen_signal_channels = Slot(uri=BKG.signalChannel, name="Specimen_signal_channels", curie=BKG.curie('signalChannel'),
                   model_uri=BKG.Specimen_signal_channels, domain=Specimen, range=Optional[Union[Union[dict, "SignalChannel"], list[Union[dict, "SignalChannel"]]]])

slots.Specimen_biosample = Slot(uri=BKG.fromBiosample, name="Specimen_biosample", curie=BKG.curie('fromBiosample'),
                   model_uri=BKG.Specimen_biosample, domain=Specimen, range=Optional[Union[str, BiosampleId]])

slots.SignalChannel_signal_contrast_mechanism = Slot(uri=BKG.signalContrastMechanism, name="SignalChannel_signal_contrast_mechanism", curie=BKG.curie('signalContrastMechanism'),
                   model_uri=BKG.SignalChannel_signal_contrast_mechanism, domain=SignalChannel, range=str)

slots.SignalChannel_channel_content = Slot(uri=BKG.channelContent, name="SignalChannel_channel_content", curie=BKG.curie('channelContent'),
                   model_uri=BKG.SignalChannel_channel_content, domain=SignalChannel, range=Optional[str])

slots.SignalChannel_channel_biological_entity = Slot(uri=BKG.channelBiologicalEntity, name="SignalChannel_channel_biological_entity", curie=BKG.curie('channelBiologicalEntity'),
                   model_uri=BKG.SignalChannel_channel_biological_entity, domain=SignalChannel, range=Optional[str])

slots.SignalChannel_channel_label = Slot(uri=BKG.channelLabel, name="SignalChannel_channel_label", curie=BKG.curie('channelLabel'),
                   model_uri=BKG.SignalChannel_channel_label, domain=SignalChannel, range=Optional[str])

slots.ImageAcquisition_name = Slot(uri=SCHEMA.name, name="ImageAcquisition_name", curie=SCHEMA.curie('name'),
                   model_uri=BKG.ImageAcquisition_name, domain=ImageAcquisition, range=Optional[str])

slots.ImageAcquisition_instrument_description = Slot(uri=BKG.instrumentDescription, name="ImageAcquisition_instrument_description", curie=BKG.curie('instrumentDescription'),
                   model_uri=BKG.ImageAcquisition_instrument_description, domain=ImageAcquisition, range=str)

slots.ImageAcquisition_instrument = Slot(uri=OME.instrument, name="ImageAcquisition_instrument", curie=OME.curie('instrument'),
                   model_uri=BKG.ImageAcquisition_instrument, domain=ImageAcquisition, range=Optional[Union[str, URIorCURIE]])

slots.ImageAcquisition_imaging_method_name = Slot(uri=BKG.imagingMethodName, name="ImageAcquisition_imaging_method_name", curie=BKG.curie('imagingMethodName'),
                   model_uri=BKG.ImageAcquisition_imaging_method_name, domain=ImageAcquisition, range=Union[str, list[str]])

slots.ImageAcquisition_imaging_method = Slot(uri=BKG.imagingMethod, name="ImageAcquisition_imaging_method", curie=BKG.curie('imagingMethod'),
                   model_uri=BKG.ImageAcquisition_imaging_method, domain=ImageAcquisition, range=Optional[Union[Union[str, "ImagingMethod"], list[Union[str, "ImagingMethod"]]]])

slots.ImageAcquisition_acquisition_parameters = Slot(uri=BKG.acquisitionParameters, name="ImageAcquisition_acquisition_parameters", curie=BKG.curie('acquisitionParameters'),
                   model_uri=BKG.ImageAcquisition_acquisition_parameters, domain=ImageAcquisition, range=Optional[str])

slots.ImageData_name = Slot(uri=SCHEMA.name, name="ImageData_name", curie=SCHEMA.curie('name'),
                   model_uri=BKG.ImageData_name, domain=ImageData, range=Optional[str])

slots.ImageData_description = Slot(uri=DCT.description, name="ImageData_description", curie=DCT.curie('description'),
                   model_uri=BKG.ImageData_description, domain=ImageData, range=Optional[str])

slots.ImageData_biosample = Slot(uri=BKG.fromBiosample, name="ImageData_biosample", curie=BKG.curie('fromBiosample'),
                   model_uri=BKG.ImageData_biosample, domain=ImageData, range=Optional[Union[str, BiosampleId]])

slots.ImageData_specimen = Slot(uri=BKG.fromSpecimen, name="ImageData_specimen", curie=BKG.curie('fromSpecimen'),
                   model_uri=BKG.ImageData_specimen, domain=ImageData, range=Optional[Union[str, SpecimenId]])

slots.ImageData_acquisition = Slot(uri=BKG.acquiredBy, name="ImageData_acquisition", curie=BKG.curie('acquiredBy'),
                   model_uri=BKG.ImageData_acquisition, domain=ImageData, range=Optional[Union[str, ImageAcquisitionId]])

slots.ImageData_files = Slot(uri=SCHEMA.hasPart, name="ImageData_files", curie=SCHEMA.curie('hasPart'),
                   model_uri=BKG.ImageData_files, domain=ImageData, range=Optional[Union[dict[Union[str, FileId], Union[dict, File]], list[Union[dict, File]]]])

slots.ImageData_ome_images = Slot(uri=BKG.omeImage, name="ImageData_ome_images", curie=BKG.curie('omeImage'),
                   model_uri=BKG.ImageData_ome_images, domain=ImageData, range=Optional[Union[Union[str, URIorCURIE], list[Union[str, URIorCURIE]]]])

slots.ImageCorrelation_spatial_temporal_alignment = Slot(uri=BKG.alignmentMethod, name="ImageCorrelation_spatial_temporal_alignment", curie=BKG.curie('alignmentMethod'),
                   model_uri=BKG.ImageCorrelation_spatial_temporal_alignment, domain=ImageCorrelation, range=str)

slots.ImageCorrelation_fiducials = Slot(uri=BKG.fiducials, name="ImageCorrelation_fiducials", curie=BKG.curie('fiducials'),
                   model_uri=BKG.ImageCorrelation_fiducials, domain=ImageCorrelation, range=Optional[str])

slots.ImageCorrelation_transformation_matrix = Slot(uri=BKG.transformationMatrix, name="ImageCorrelation_transformation_matrix", curie=BKG.curie('transformationMatrix'),
                   model_uri=BKG.ImageCorrelation_transformation_matrix, domain=ImageCorrelation, range=Optional[str])

slots.ImageCorrelation_related_images = Slot(uri=BKG.correlatedImageData, name="ImageCorrelation_related_images", curie=BKG.curie('correlatedImageData'),
                   model_uri=BKG.ImageCorrelation_related_images, domain=ImageCorrelation, range=Optional[Union[Union[str, ImageDataId], list[Union[str, ImageDataId]]]])

slots.AnalysedData_description = Slot(uri=DCT.description, name="AnalysedData_description", curie=DCT.curie('description'),
                   model_uri=BKG.AnalysedData_description, domain=AnalysedData, range=str)

slots.AnalysedData_analysis_type = Slot(uri=BKG.analysisType, name="AnalysedData_analysis_type", curie=BKG.curie('analysisType'),
                   model_uri=BKG.AnalysedData_analysis_type, domain=AnalysedData, range=Optional[str])

slots.AnalysedData_files = Slot(uri=SCHEMA.hasPart, name="AnalysedData_files", curie=SCHEMA.curie('hasPart'),
                   model_uri=BKG.AnalysedData_files, domain=AnalysedData, range=Optional[Union[dict[Union[str, FileId], Union[dict, File]], list[Union[dict, File]]]])

slots.AnalysedData_generated_by = Slot(uri=PROV.wasGeneratedBy, name="AnalysedData_generated_by", curie=PROV.curie('wasGeneratedBy'),
                   model_uri=BKG.AnalysedData_generated_by, domain=AnalysedData, range=Optional[Union[str, AnalysisRunId]])

slots.Annotations_description = Slot(uri=DCT.description, name="Annotations_description", curie=DCT.curie('description'),
                   model_uri=BKG.Annotations_description, domain=Annotations, range=str)

slots.Annotations_annotation_types = Slot(uri=BKG.annotationType, name="Annotations_annotation_types", curie=BKG.curie('annotationType'),
                   model_uri=BKG.Annotations_annotation_types, domain=Annotations, range=Union[Union[str, "AnnotationType"], list[Union[str, "AnnotationType"]]])

slots.Annotations_annotation_method = Slot(uri=BKG.annotationMethod, name="Annotations_annotation_method", curie=BKG.curie('annotationMethod'),
                   model_uri=BKG.Annotations_annotation_method, domain=Annotations, range=str)

slots.Annotations_annotation_criteria = Slot(uri=BKG.annotationCriteria, name="Annotations_annotation_criteria", curie=BKG.curie('annotationCriteria'),
                   model_uri=BKG.Annotations_annotation_criteria, domain=Annotations, range=Optional[str])

slots.Annotations_annotation_coverage = Slot(uri=BKG.annotationCoverage, name="Annotations_annotation_coverage", curie=BKG.curie('annotationCoverage'),
                   model_uri=BKG.Annotations_annotation_coverage, domain=Annotations, range=Optional[str])

slots.Annotations_annotation_confidence = Slot(uri=BKG.annotationConfidence, name="Annotations_annotation_confidence", curie=BKG.curie('annotationConfidence'),
                   model_uri=BKG.Annotations_annotation_confidence, domain=Annotations, range=Optional[str])

slots.Annotations_files = Slot(uri=SCHEMA.hasPart, name="Annotations_files", curie=SCHEMA.curie('hasPart'),
                   model_uri=BKG.Annotations_files, domain=Annotations, range=Optional[Union[dict[Union[str, FileId], Union[dict, File]], list[Union[dict, File]]]])

slots.ManufacturerSpecs_manufacturer = Slot(uri=OME.manufacturer, name="ManufacturerSpecs_manufacturer", curie=OME.curie('manufacturer'),
                   model_uri=BKG.ManufacturerSpecs_manufacturer, domain=None, range=Optional[str])

slots.ManufacturerSpecs_model = Slot(uri=OME.model, name="ManufacturerSpecs_model", curie=OME.curie('model'),
                   model_uri=BKG.ManufacturerSpecs_model, domain=None, range=Optional[str])

slots.ManufacturerSpecs_catalog_number = Slot(uri=BKG.catalogNumber, name="ManufacturerSpecs_catalog_number", curie=BKG.curie('catalogNumber'),
                   model_uri=BKG.ManufacturerSpecs_catalog_number, domain=None, range=Optional[str])

slots.ManufacturerSpecs_serial_number = Slot(uri=OME.serial_number, name="ManufacturerSpecs_serial_number", curie=OME.curie('serial_number'),
                   model_uri=BKG.ManufacturerSpecs_serial_number, domain=None, range=Optional[str])

slots.ManufacturerSpecs_lot_number = Slot(uri=OME.lot_number, name="ManufacturerSpecs_lot_number", curie=OME.curie('lot_number'),
                   model_uri=BKG.ManufacturerSpecs_lot_number, domain=None, range=Optional[str])

slots.Instrument_name = Slot(uri=SCHEMA.name, name="Instrument_name", curie=SCHEMA.curie('name'),
                   model_uri=BKG.Instrument_name, domain=Instrument, range=Optional[str])

slots.Instrument_microscope = Slot(uri=OME.microscope, name="Instrument_microscope", curie=OME.curie('microscope'),
                   model_uri=BKG.Instrument_microscope, domain=Instrument, range=Optional[Union[dict, "MicroscopeStand"]])

slots.Instrument_objectives = Slot(uri=OME.objective, name="Instrument_objectives", curie=OME.curie('objective'),
                   model_uri=BKG.Instrument_objectives, domain=Instrument, range=Optional[Union[dict[Union[str, ObjectiveId], Union[dict, "Objective"]], list[Union[dict, "Objective"]]]])

slots.Instrument_lasers = Slot(uri=OME.laser, name="Instrument_lasers", curie=OME.curie('laser'),
                   model_uri=BKG.Instrument_lasers, domain=Instrument, range=Optional[Union[dict[Union[str, LaserId], Union[dict, "Laser"]], list[Union[dict, "Laser"]]]])

slots.Instrument_arcs = Slot(uri=OME.arc, name="Instrument_arcs", curie=OME.curie('arc'),
                   model_uri=BKG.Instrument_arcs, domain=Instrument, range=Optional[Union[dict[Union[str, ArcId], Union[dict, "Arc"]], list[Union[dict, "Arc"]]]])

slots.Instrument_filaments = Slot(uri=OME.filament, name="Instrument_filaments", curie=OME.curie('filament'),
                   model_uri=BKG.Instrument_filaments, domain=Instrument, range=Optional[Union[dict[Union[str, FilamentId], Union[dict, "Filament"]], list[Union[dict, "Filament"]]]])

slots.Instrument_light_emitting_diodes = Slot(uri=OME.light_emitting_diode, name="Instrument_light_emitting_diodes", curie=OME.curie('light_emitting_diode'),
                   model_uri=BKG.Instrument_light_emitting_diodes, domain=Instrument, range=Optional[Union[dict[Union[str, LightEmittingDiodeId], Union[dict, "LightEmittingDiode"]], list[Union[dict, "LightEmittingDiode"]]]])

slots.Instrument_detectors = Slot(uri=OME.detector, name="Instrument_detectors", curie=OME.curie('detector'),
                   model_uri=BKG.Instrument_detectors, domain=Instrument, range=Optional[Union[dict[Union[str, DetectorId], Union[dict, "Detector"]], list[Union[dict, "Detector"]]]])

slots.Instrument_filters = Slot(uri=OME.filter, name="Instrument_filters", curie=OME.curie('filter'),
                   model_uri=BKG.Instrument_filters, domain=Instrument, range=Optional[Union[dict[Union[str, FilterId], Union[dict, "Filter"]], list[Union[dict, "Filter"]]]])

slots.Instrument_dichroics = Slot(uri=OME.dichroic, name="Instrument_dichroics", curie=OME.curie('dichroic'),
                   model_uri=BKG.Instrument_dichroics, domain=Instrument, range=Optional[Union[dict[Union[str, DichroicId], Union[dict, "Dichroic"]], list[Union[dict, "Dichroic"]]]])

slots.Instrument_filter_sets = Slot(uri=OME.filter_set, name="Instrument_filter_sets", curie=OME.curie('filter_set'),
                   model_uri=BKG.Instrument_filter_sets, domain=Instrument, range=Optional[Union[dict[Union[str, FilterSetId], Union[dict, "FilterSet"]], list[Union[dict, "FilterSet"]]]])

slots.Instrument_calibrations = Slot(uri=BKG.calibration, name="Instrument_calibrations", curie=BKG.curie('calibration'),
                   model_uri=BKG.Instrument_calibrations, domain=Instrument, range=Optional[Union[dict[Union[str, OpticalCalibrationId], Union[dict, "OpticalCalibration"]], list[Union[dict, "OpticalCalibration"]]]])

slots.MicroscopeStand_type = Slot(uri=OME.type, name="MicroscopeStand_type", curie=OME.curie('type'),
                   model_uri=BKG.MicroscopeStand_type, domain=MicroscopeStand, range=Optional[Union[str, "MicroscopeType"]])

slots.MicroscopeStand_origin = Slot(uri=BKG.standOrigin, name="MicroscopeStand_origin", curie=BKG.curie('standOrigin'),
                   model_uri=BKG.MicroscopeStand_origin, domain=MicroscopeStand, range=Optional[Union[str, "StandOrigin"]])

slots.MicroscopeStand_eyepiece_field_number = Slot(uri=BKG.eyepieceFieldNumber, name="MicroscopeStand_eyepiece_field_number", curie=BKG.curie('eyepieceFieldNumber'),
                   model_uri=BKG.MicroscopeStand_eyepiece_field_number, domain=MicroscopeStand, range=Optional[float])

slots.Objective_nominal_magnification = Slot(uri=OME.nominal_magnification, name="Objective_nominal_magnification", curie=OME.curie('nominal_magnification'),
                   model_uri=BKG.Objective_nominal_magnification, domain=Objective, range=Optional[float])

slots.Objective_lens_na = Slot(uri=OME.lens_na, name="Objective_lens_na", curie=OME.curie('lens_na'),
                   model_uri=BKG.Objective_lens_na, domain=Objective, range=Optional[float])

slots.Objective_correction = Slot(uri=OME.correction, name="Objective_correction", curie=OME.curie('correction'),
                   model_uri=BKG.Objective_correction, domain=Objective, range=Optional[Union[str, "Correction"]])

slots.Objective_immersion = Slot(uri=OME.immersion, name="Objective_immersion", curie=OME.curie('immersion'),
                   model_uri=BKG.Objective_immersion, domain=Objective, range=Optional[Union[str, "Immersion"]])

slots.Objective_infinity_corrected = Slot(uri=BKG.infinityCorrected, name="Objective_infinity_corrected", curie=BKG.curie('infinityCorrected'),
                   model_uri=BKG.Objective_infinity_corrected, domain=Objective, range=Optional[Union[bool, Bool]])

slots.Objective_working_distance = Slot(uri=OME.working_distance, name="Objective_working_distance", curie=OME.curie('working_distance'),
                   model_uri=BKG.Objective_working_distance, domain=Objective, range=Optional[Union[dict, QuantityValue]])

slots.Objective_iris = Slot(uri=OME.iris, name="Objective_iris", curie=OME.curie('iris'),
                   model_uri=BKG.Objective_iris, domain=Objective, range=Optional[Union[bool, Bool]])

slots.Objective_calibrated_magnification = Slot(uri=OME.calibrated_magnification, name="Objective_calibrated_magnification", curie=OME.curie('calibrated_magnification'),
                   model_uri=BKG.Objective_calibrated_magnification, domain=Objective, range=Optional[float])

slots.Objective_field_number = Slot(uri=BKG.objectiveFieldNumber, name="Objective_field_number", curie=BKG.curie('objectiveFieldNumber'),
                   model_uri=BKG.Objective_field_number, domain=Objective, range=Optional[float])

slots.LightSource_power = Slot(uri=OME.power, name="LightSource_power", curie=OME.curie('power'),
                   model_uri=BKG.LightSource_power, domain=LightSource, range=Optional[Union[dict, QuantityValue]])

slots.LightSource_wavelength = Slot(uri=OME.wavelength, name="LightSource_wavelength", curie=OME.curie('wavelength'),
                   model_uri=BKG.LightSource_wavelength, domain=LightSource, range=Optional[Union[dict, QuantityValue]])

slots.LightSource_purchase_date = Slot(uri=BKG.purchaseDate, name="LightSource_purchase_date", curie=BKG.curie('purchaseDate'),
                   model_uri=BKG.LightSource_purchase_date, domain=LightSource, range=Optional[Union[str, XSDDate]])

slots.Laser_tuneable = Slot(uri=OME.tuneable, name="Laser_tuneable", curie=OME.curie('tuneable'),
                   model_uri=BKG.Laser_tuneable, domain=Laser, range=Optional[Union[bool, Bool]])

slots.Laser_pulse = Slot(uri=OME.pulse, name="Laser_pulse", curie=OME.curie('pulse'),
                   model_uri=BKG.Laser_pulse, domain=Laser, range=Optional[Union[str, "Pulse"]])

slots.Laser_laser_medium = Slot(uri=OME.laser_medium, name="Laser_laser_medium", curie=OME.curie('laser_medium'),
                   model_uri=BKG.Laser_laser_medium, domain=Laser, range=Optional[str])

slots.Laser_repetition_rate = Slot(uri=OME.repetition_rate, name="Laser_repetition_rate", curie=OME.curie('repetition_rate'),
                   model_uri=BKG.Laser_repetition_rate, domain=Laser, range=Optional[Union[dict, QuantityValue]])

slots.Laser_type = Slot(uri=OME.type, name="Laser_type", curie=OME.curie('type'),
                   model_uri=BKG.Laser_type, domain=Laser, range=Optional[Union[str, "LaserType"]])

slots.Arc_type = Slot(uri=OME.type, name="Arc_type", curie=OME.curie('type'),
                   model_uri=BKG.Arc_type, domain=Arc, range=Optional[Union[str, "ArcType"]])

slots.Filament_type = Slot(uri=OME.type, name="Filament_type", curie=OME.curie('type'),
                   model_uri=BKG.Filament_type, domain=Filament, range=Optional[Union[str, "FilamentType"]])

slots.LightEmittingDiode_cut_in = Slot(uri=OME.cut_in, name="LightEmittingDiode_cut_in", curie=OME.curie('cut_in'),
                   model_uri=BKG.LightEmittingDiode_cut_in, domain=LightEmittingDiode, range=Optional[Union[dict, QuantityValue]])

slots.LightEmittingDiode_cut_out = Slot(uri=OME.cut_out, name="LightEmittingDiode_cut_out", curie=OME.curie('cut_out'),
                   model_uri=BKG.LightEmittingDiode_cut_out, domain=LightEmittingDiode, range=Optional[Union[dict, QuantityValue]])

slots.Detector_pixel_size = Slot(uri=BKG.detectorPixelSize, name="Detector_pixel_size", curie=BKG.curie('detectorPixelSize'),
                   model_uri=BKG.Detector_pixel_size, domain=Detector, range=Optional[Union[dict, QuantityValue]])

slots.Detector_max_bit_depth = Slot(uri=BKG.maxBitDepth, name="Detector_max_bit_depth", curie=BKG.curie('maxBitDepth'),
                   model_uri=BKG.Detector_max_bit_depth, domain=Detector, range=Optional[int])

slots.Detector_quantum_efficiency = Slot(uri=BKG.quantumEfficiency, name="Detector_quantum_efficiency", curie=BKG.curie('quantumEfficiency'),
                   model_uri=BKG.Detector_quantum_efficiency, domain=Detector, range=Optional[float])

slots.Detector_read_noise = Slot(uri=BKG.readNoise, name="Detector_read_noise", curie=BKG.curie('readNoise'),
                   model_uri=BKG.Detector_read_noise, domain=Detector, range=Optional[float])

slots.Detector_dark_current = Slot(uri=BKG.darkCurrent, name="Detector_dark_current", curie=BKG.curie('darkCurrent'),
                   model_uri=BKG.Detector_dark_current, domain=Detector, range=Optional[float])

slots.Detector_conversion_factor = Slot(uri=BKG.electronConversionFactor, name="Detector_conversion_factor", curie=BKG.curie('electronConversionFactor'),
                   model_uri=BKG.Detector_conversion_factor, domain=Detector, range=Optional[float])

slots.Detector_operating_temperature = Slot(uri=BKG.operatingTemperature, name="Detector_operating_temperature", curie=BKG.curie('operatingTemperature'),
                   model_uri=BKG.Detector_operating_temperature, domain=Detector, range=Optional[Union[dict, QuantityValue]])

slots.Detector_type = Slot(uri=OME.type, name="Detector_type", curie=OME.curie('type'),
                   model_uri=BKG.Detector_type, domain=Detector, range=Optional[Union[str, "DetectorType"]])

slots.TransmittanceRange_cut_in = Slot(uri=OME.cut_in, name="TransmittanceRange_cut_in", curie=OME.curie('cut_in'),
                   model_uri=BKG.TransmittanceRange_cut_in, domain=TransmittanceRange, range=Optional[Union[dict, QuantityValue]])

slots.TransmittanceRange_cut_out = Slot(uri=OME.cut_out, name="TransmittanceRange_cut_out", curie=OME.curie('cut_out'),
                   model_uri=BKG.TransmittanceRange_cut_out, domain=TransmittanceRange, range=Optional[Union[dict, QuantityValue]])

slots.TransmittanceRange_transmittance = Slot(uri=OME.transmittance, name="TransmittanceRange_transmittance", curie=OME.curie('transmittance'),
                   model_uri=BKG.TransmittanceRange_transmittance, domain=TransmittanceRange, range=Optional[float])

slots.TransmittanceRange_cut_in_tolerance = Slot(uri=OME.cut_in_tolerance, name="TransmittanceRange_cut_in_tolerance", curie=OME.curie('cut_in_tolerance'),
                   model_uri=BKG.TransmittanceRange_cut_in_tolerance, domain=TransmittanceRange, range=Optional[Union[dict, QuantityValue]])

slots.TransmittanceRange_cut_out_tolerance = Slot(uri=OME.cut_out_tolerance, name="TransmittanceRange_cut_out_tolerance", curie=OME.curie('cut_out_tolerance'),
                   model_uri=BKG.TransmittanceRange_cut_out_tolerance, domain=TransmittanceRange, range=Optional[Union[dict, QuantityValue]])

slots.Filter_transmittance_range = Slot(uri=OME.transmittance_range, name="Filter_transmittance_range", curie=OME.curie('transmittance_range'),
                   model_uri=BKG.Filter_transmittance_range, domain=Filter, range=Optional[Union[dict, TransmittanceRange]])

slots.Filter_coating_method = Slot(uri=BKG.coatingMethod, name="Filter_coating_method", curie=BKG.curie('coatingMethod'),
                   model_uri=BKG.Filter_coating_method, domain=Filter, range=Optional[Union[str, "CoatingMethod"]])

slots.Filter_filter_wheel = Slot(uri=OME.filter_wheel, name="Filter_filter_wheel", curie=OME.curie('filter_wheel'),
                   model_uri=BKG.Filter_filter_wheel, domain=Filter, range=Optional[str])

slots.Filter_type = Slot(uri=OME.type, name="Filter_type", curie=OME.curie('type'),
                   model_uri=BKG.Filter_type, domain=Filter, range=Optional[Union[str, "FilterType"]])

slots.Dichroic_transmittance_range = Slot(uri=OME.transmittance_range, name="Dichroic_transmittance_range", curie=OME.curie('transmittance_range'),
                   model_uri=BKG.Dichroic_transmittance_range, domain=Dichroic, range=Optional[Union[dict, TransmittanceRange]])

slots.FilterSet_excitation_filters = Slot(uri=OME.excitation_filter, name="FilterSet_excitation_filters", curie=OME.curie('excitation_filter'),
                   model_uri=BKG.FilterSet_excitation_filters, domain=FilterSet, range=Optional[Union[Union[str, FilterId], list[Union[str, FilterId]]]])

slots.FilterSet_emission_filters = Slot(uri=OME.emission_filter, name="FilterSet_emission_filters", curie=OME.curie('emission_filter'),
                   model_uri=BKG.FilterSet_emission_filters, domain=FilterSet, range=Optional[Union[Union[str, FilterId], list[Union[str, FilterId]]]])

slots.FilterSet_dichroics = Slot(uri=OME.dichroic, name="FilterSet_dichroics", curie=OME.curie('dichroic'),
                   model_uri=BKG.FilterSet_dichroics, domain=FilterSet, range=Optional[Union[dict[Union[str, DichroicId], Union[dict, Dichroic]], list[Union[dict, Dichroic]]]])

slots.OpticalCalibration_calibration_date = Slot(uri=DCT.date, name="OpticalCalibration_calibration_date", curie=DCT.curie('date'),
                   model_uri=BKG.OpticalCalibration_calibration_date, domain=OpticalCalibration, range=Optional[Union[str, XSDDate]])

slots.OpticalCalibration_objective = Slot(uri=BKG.objectiveUsed, name="OpticalCalibration_objective", curie=BKG.curie('objectiveUsed'),
                   model_uri=BKG.OpticalCalibration_objective, domain=OpticalCalibration, range=Optional[Union[str, ObjectiveId]])

slots.OpticalCalibration_emission_wavelength = Slot(uri=OME.emission_wavelength, name="OpticalCalibration_emission_wavelength", curie=OME.curie('emission_wavelength'),
                   model_uri=BKG.OpticalCalibration_emission_wavelength, domain=OpticalCalibration, range=Optional[Union[dict, QuantityValue]])

slots.OpticalCalibration_theoretical_xy_spot_size = Slot(uri=BKG.theoreticalLateralSpotSize, name="OpticalCalibration_theoretical_xy_spot_size", curie=BKG.curie('theoreticalLateralSpotSize'),
                   model_uri=BKG.OpticalCalibration_theoretical_xy_spot_size, domain=OpticalCalibration, range=Optional[Union[dict, QuantityValue]])

slots.OpticalCalibration_median_xy_spot_size = Slot(uri=BKG.medianLateralSpotSize, name="OpticalCalibration_median_xy_spot_size", curie=BKG.curie('medianLateralSpotSize'),
                   model_uri=BKG.OpticalCalibration_median_xy_spot_size, domain=OpticalCalibration, range=Optional[Union[dict, QuantityValue]])

slots.OpticalCalibration_min_xy_spot_size = Slot(uri=BKG.minLateralSpotSize, name="OpticalCalibration_min_xy_spot_size", curie=BKG.curie('minLateralSpotSize'),
                   model_uri=BKG.OpticalCalibration_min_xy_spot_size, domain=OpticalCalibration, range=Optional[Union[dict, QuantityValue]])

slots.OpticalCalibration_max_xy_spot_size = Slot(uri=BKG.maxLateralSpotSize, name="OpticalCalibration_max_xy_spot_size", curie=BKG.curie('maxLateralSpotSize'),
                   model_uri=BKG.OpticalCalibration_max_xy_spot_size, domain=OpticalCalibration, range=Optional[Union[dict, QuantityValue]])

slots.OpticalCalibration_theoretical_z_spot_size = Slot(uri=BKG.theoreticalAxialSpotSize, name="OpticalCalibration_theoretical_z_spot_size", curie=BKG.curie('theoreticalAxialSpotSize'),
                   model_uri=BKG.OpticalCalibration_theoretical_z_spot_size, domain=OpticalCalibration, range=Optional[Union[dict, QuantityValue]])

slots.OpticalCalibration_median_z_spot_size = Slot(uri=BKG.medianAxialSpotSize, name="OpticalCalibration_median_z_spot_size", curie=BKG.curie('medianAxialSpotSize'),
                   model_uri=BKG.OpticalCalibration_median_z_spot_size, domain=OpticalCalibration, range=Optional[Union[dict, QuantityValue]])

slots.OpticalCalibration_sample_size = Slot(uri=BKG.sampleSize, name="OpticalCalibration_sample_size", curie=BKG.curie('sampleSize'),
                   model_uri=BKG.OpticalCalibration_sample_size, domain=OpticalCalibration, range=Optional[int])

slots.OpticalCalibration_psf_fit = Slot(uri=BKG.psfFitModel, name="OpticalCalibration_psf_fit", curie=BKG.curie('psfFitModel'),
                   model_uri=BKG.OpticalCalibration_psf_fit, domain=OpticalCalibration, range=Optional[str])

slots.OpticalCalibration_nyquist_ratio = Slot(uri=BKG.nyquistRatio, name="OpticalCalibration_nyquist_ratio", curie=BKG.curie('nyquistRatio'),
                   model_uri=BKG.OpticalCalibration_nyquist_ratio, domain=OpticalCalibration, range=Optional[float])

slots.OpticalCalibration_lateral_asymmetry = Slot(uri=BKG.lateralAsymmetry, name="OpticalCalibration_lateral_asymmetry", curie=BKG.curie('lateralAsymmetry'),
                   model_uri=BKG.OpticalCalibration_lateral_asymmetry, domain=OpticalCalibration, range=Optional[float])

slots.OpticalCalibration_calibration_image = Slot(uri=BKG.calibrationImage, name="OpticalCalibration_calibration_image", curie=BKG.curie('calibrationImage'),
                   model_uri=BKG.OpticalCalibration_calibration_image, domain=OpticalCalibration, range=Optional[Union[str, URIorCURIE]])

slots.AnalysisRun_software = Slot(uri=SCHEMA.instrument, name="AnalysisRun_software", curie=SCHEMA.curie('instrument'),
                   model_uri=BKG.AnalysisRun_software, domain=AnalysisRun, range=Union[dict, "SoftwareApplication"])

slots.AnalysisRun_environment_lock = Slot(uri=BKG.environmentLock, name="AnalysisRun_environment_lock", curie=BKG.curie('environmentLock'),
                   model_uri=BKG.AnalysisRun_environment_lock, domain=AnalysisRun, range=Optional[Union[Union[dict, "InstalledDistribution"], list[Union[dict, "InstalledDistribution"]]]])

slots.AnalysisRun_parameters = Slot(uri=BKG.parameter, name="AnalysisRun_parameters", curie=BKG.curie('parameter'),
                   model_uri=BKG.AnalysisRun_parameters, domain=AnalysisRun, range=Optional[Union[Union[dict, "ParameterValue"], list[Union[dict, "ParameterValue"]]]])

slots.AnalysisRun_container_image = Slot(uri=WFRUN.containerImage, name="AnalysisRun_container_image", curie=WFRUN.curie('containerImage'),
                   model_uri=BKG.AnalysisRun_container_image, domain=AnalysisRun, range=Optional[Union[dict, "ContainerImage"]])

slots.AnalysisRun_random_seeds = Slot(uri=BKG.randomSeed, name="AnalysisRun_random_seeds", curie=BKG.curie('randomSeed'),
                   model_uri=BKG.AnalysisRun_random_seeds, domain=AnalysisRun, range=Optional[Union[Union[dict, "RandomSeed"], list[Union[dict, "RandomSeed"]]]])

slots.AnalysisRun_model_weights = Slot(uri=BKG.modelWeights, name="AnalysisRun_model_weights", curie=BKG.curie('modelWeights'),
                   model_uri=BKG.AnalysisRun_model_weights, domain=AnalysisRun, range=Optional[Union[dict[Union[str, ModelWeightsId], Union[dict, "ModelWeights"]], list[Union[dict, "ModelWeights"]]]])

slots.AnalysisRun_hardware = Slot(uri=BKG.hardware, name="AnalysisRun_hardware", curie=BKG.curie('hardware'),
                   model_uri=BKG.AnalysisRun_hardware, domain=AnalysisRun, range=Optional[Union[dict, "Hardware"]])

slots.AnalysisRun_inputs = Slot(uri=SCHEMA.object, name="AnalysisRun_inputs", curie=SCHEMA.curie('object'),
                   model_uri=BKG.AnalysisRun_inputs, domain=AnalysisRun, range=Union[dict[Union[str, FileId], Union[dict, File]], list[Union[dict, File]]])

slots.AnalysisRun_outputs = Slot(uri=SCHEMA.result, name="AnalysisRun_outputs", curie=SCHEMA.curie('result'),
                   model_uri=BKG.AnalysisRun_outputs, domain=AnalysisRun, range=Union[dict[Union[str, FileId], Union[dict, File]], list[Union[dict, File]]])

slots.AnalysisRun_start_time = Slot(uri=SCHEMA.startTime, name="AnalysisRun_start_time", curie=SCHEMA.curie('startTime'),
                   model_uri=BKG.AnalysisRun_start_time, domain=AnalysisRun, range=Union[str, XSDDateTime])

slots.AnalysisRun_end_time = Slot(uri=SCHEMA.endTime, name="AnalysisRun_end_time", curie=SCHEMA.curie('endTime'),
                   model_uri=BKG.AnalysisRun_end_time, domain=AnalysisRun, range=Optional[Union[str, XSDDateTime]])

slots.AnalysisRun_agent = Slot(uri=SCHEMA.agent, name="AnalysisRun_agent", curie=SCHEMA.curie('agent'),
                   model_uri=BKG.AnalysisRun_agent, domain=AnalysisRun, range=Optional[Union[dict, Person]])

slots.AnalysisRun_command_line = Slot(uri=BKG.commandLine, name="AnalysisRun_command_line", curie=BKG.curie('commandLine'),
                   model_uri=BKG.AnalysisRun_command_line, domain=AnalysisRun, range=Optional[str])

slots.AnalysisRun_exit_code = Slot(uri=BKG.exitCode, name="AnalysisRun_exit_code", curie=BKG.curie('exitCode'),
                   model_uri=BKG.AnalysisRun_exit_code, domain=AnalysisRun, range=Optional[int])

slots.SoftwareApplication_name = Slot(uri=SCHEMA.name, name="SoftwareApplication_name", curie=SCHEMA.curie('name'),
                   model_uri=BKG.SoftwareApplication_name, domain=SoftwareApplication, range=str)

slots.SoftwareApplication_version = Slot(uri=SCHEMA.softwareVersion, name="SoftwareApplication_version", curie=SCHEMA.curie('softwareVersion'),
                   model_uri=BKG.SoftwareApplication_version, domain=SoftwareApplication, range=str)

slots.SoftwareApplication_url = Slot(uri=SCHEMA.url, name="SoftwareApplication_url", curie=SCHEMA.curie('url'),
                   model_uri=BKG.SoftwareApplication_url, domain=SoftwareApplication, range=Optional[Union[str, URI]])

slots.SoftwareApplication_git_commit = Slot(uri=BKG.gitCommit, name="SoftwareApplication_git_commit", curie=BKG.curie('gitCommit'),
                   model_uri=BKG.SoftwareApplication_git_commit, domain=SoftwareApplication, range=Optional[str],
                   pattern=re.compile(r'^[0-9a-f]{40}([0-9a-f]{24})?$'))

slots.SoftwareApplication_git_dirty = Slot(uri=BKG.gitDirty, name="SoftwareApplication_git_dirty", curie=BKG.curie('gitDirty'),
                   model_uri=BKG.SoftwareApplication_git_dirty, domain=SoftwareApplication, range=Optional[Union[bool, Bool]])

slots.InstalledDistribution_package_manager = Slot(uri=BKG.packageManager, name="InstalledDistribution_package_manager", curie=BKG.curie('packageManager'),
                   model_uri=BKG.InstalledDistribution_package_manager, domain=InstalledDistribution, range=Optional[str])

slots.InstalledDistribution_name = Slot(uri=SCHEMA.name, name="InstalledDistribution_name", curie=SCHEMA.curie('name'),
                   model_uri=BKG.InstalledDistribution_name, domain=InstalledDistribution, range=str)

slots.InstalledDistribution_version = Slot(uri=SCHEMA.softwareVersion, name="InstalledDistribution_version", curie=SCHEMA.curie('softwareVersion'),
                   model_uri=BKG.InstalledDistribution_version, domain=InstalledDistribution, range=str)

slots.ParameterValue_value = Slot(uri=SCHEMA.value, name="ParameterValue_value", curie=SCHEMA.curie('value'),
                   model_uri=BKG.ParameterValue_value, domain=ParameterValue, range=str)

slots.ParameterValue_name = Slot(uri=SCHEMA.name, name="ParameterValue_name", curie=SCHEMA.curie('name'),
                   model_uri=BKG.ParameterValue_name, domain=ParameterValue, range=str)

slots.ContainerImage_registry = Slot(uri=WFRUN.registry, name="ContainerImage_registry", curie=WFRUN.curie('registry'),
                   model_uri=BKG.ContainerImage_registry, domain=ContainerImage, range=Optional[str])

slots.ContainerImage_tag = Slot(uri=WFRUN.tag, name="ContainerImage_tag", curie=WFRUN.curie('tag'),
                   model_uri=BKG.ContainerImage_tag, domain=ContainerImage, range=Optional[str])

slots.ContainerImage_sha256 = Slot(uri=WFRUN.sha256, name="ContainerImage_sha256", curie=WFRUN.curie('sha256'),
                   model_uri=BKG.ContainerImage_sha256, domain=ContainerImage, range=str,
                   pattern=re.compile(r'^[0-9a-f]{64}$'))

slots.ContainerImage_name = Slot(uri=SCHEMA.name, name="ContainerImage_name", curie=SCHEMA.curie('name'),
                   model_uri=BKG.ContainerImage_name, domain=ContainerImage, range=str)

slots.RandomSeed_seed_value = Slot(uri=BKG.seedValue, name="RandomSeed_seed_value", curie=BKG.curie('seedValue'),
                   model_uri=BKG.RandomSeed_seed_value, domain=RandomSeed, range=int)

slots.RandomSeed_generator = Slot(uri=BKG.seedGenerator, name="RandomSeed_generator", curie=BKG.curie('seedGenerator'),
                   model_uri=BKG.RandomSeed_generator, domain=RandomSeed, range=Optional[str])

slots.ModelWeights_sha256 = Slot(uri=WFRUN.sha256, name="ModelWeights_sha256", curie=WFRUN.curie('sha256'),
                   model_uri=BKG.ModelWeights_sha256, domain=ModelWeights, range=str,
                   pattern=re.compile(r'^[0-9a-f]{64}$'))

slots.ModelWeights_name = Slot(uri=SCHEMA.name, name="ModelWeights_name", curie=SCHEMA.curie('name'),
                   model_uri=BKG.ModelWeights_name, domain=ModelWeights, range=Optional[str])

slots.ModelWeights_url = Slot(uri=SCHEMA.url, name="ModelWeights_url", curie=SCHEMA.curie('url'),
                   model_uri=BKG.ModelWeights_url, domain=ModelWeights, range=Optional[Union[str, URI]])

slots.Hardware_cpu_model = Slot(uri=BKG.cpuModel, name="Hardware_cpu_model", curie=BKG.curie('cpuModel'),
                   model_uri=BKG.Hardware_cpu_model, domain=Hardware, range=Optional[str])

slots.Hardware_cpu_count = Slot(uri=BKG.cpuCount, name="Hardware_cpu_count", curie=BKG.curie('cpuCount'),
                   model_uri=BKG.Hardware_cpu_count, domain=Hardware, range=Optional[int])

slots.Hardware_memory_bytes = Slot(uri=BKG.memoryBytes, name="Hardware_memory_bytes", curie=BKG.curie('memoryBytes'),
                   model_uri=BKG.Hardware_memory_bytes, domain=Hardware, range=Optional[int])

slots.Hardware_operating_system = Slot(uri=BKG.operatingSystem, name="Hardware_operating_system", curie=BKG.curie('operatingSystem'),
                   model_uri=BKG.Hardware_operating_system, domain=Hardware, range=Optional[str])

slots.Hardware_architecture = Slot(uri=BKG.architecture, name="Hardware_architecture", curie=BKG.curie('architecture'),
                   model_uri=BKG.Hardware_architecture, domain=Hardware, range=Optional[str])

slots.Hardware_gpus = Slot(uri=BKG.gpu, name="Hardware_gpus", curie=BKG.curie('gpu'),
                   model_uri=BKG.Hardware_gpus, domain=Hardware, range=Optional[Union[Union[dict, "GPU"], list[Union[dict, "GPU"]]]])

slots.GPU_gpu_model = Slot(uri=BKG.gpuModel, name="GPU_gpu_model", curie=BKG.curie('gpuModel'),
                   model_uri=BKG.GPU_gpu_model, domain=GPU, range=str)

slots.GPU_driver_version = Slot(uri=BKG.gpuDriverVersion, name="GPU_driver_version", curie=BKG.curie('gpuDriverVersion'),
                   model_uri=BKG.GPU_driver_version, domain=GPU, range=Optional[str])

slots.GPU_compute_api_version = Slot(uri=BKG.computeApiVersion, name="GPU_compute_api_version", curie=BKG.curie('computeApiVersion'),
                   model_uri=BKG.GPU_compute_api_version, domain=GPU, range=Optional[str])

slots.GPU_memory_bytes = Slot(uri=BKG.memoryBytes, name="GPU_memory_bytes", curie=BKG.curie('memoryBytes'),
                   model_uri=BKG.GPU_memory_bytes, domain=GPU, range=Optional[int])
