/*
 * libxml2, loaded with dlopen when a feed or an XML report first needs it
 * rather than linked: linking it starts every process with libxml2, ICU,
 * libstdc++, liblzma and zlib to map and relocate, 0.9 ms of a program
 * that does nothing (1.4 against 0.5 ms, `hyperfine`), while a scan of
 * articles and pages never calls it.
 *
 * A file that calls libxml2 includes its headers first, then this one,
 * and calls sl_xml_load at each entry point before any libxml2 function.
 * From this header on, each function below names the loaded library's
 * (the macros at the end), so the code reads as plain libxml2.
 */
#ifndef SL_UTIL_XMLLIB_H
#define SL_UTIL_XMLLIB_H

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/uri.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlwriter.h>

/* Every libxml2 function the library calls. */
#define SL_XML_FUNCTIONS(X)                                                                        \
    X(xmlInitParser)                                                                               \
    X(xmlCreateMemoryParserCtxt)                                                                   \
    X(xmlCtxtUseOptions)                                                                           \
    X(xmlParseDocument)                                                                            \
    X(xmlFreeParserCtxt)                                                                           \
    X(xmlDocGetRootElement)                                                                        \
    X(xmlFreeDoc)                                                                                  \
    X(xmlGetProp)                                                                                  \
    X(xmlHasProp)                                                                                  \
    X(xmlHasNsProp)                                                                                \
    X(xmlNodeGetContent)                                                                           \
    X(xmlNodeListGetString)                                                                        \
    X(xmlReaderForMemory)                                                                          \
    X(xmlFreeTextReader)                                                                           \
    X(xmlTextReaderRead)                                                                           \
    X(xmlTextReaderNext)                                                                           \
    X(xmlTextReaderExpand)                                                                         \
    X(xmlTextReaderDepth)                                                                          \
    X(xmlTextReaderNodeType)                                                                       \
    X(xmlTextReaderCurrentNode)                                                                    \
    X(xmlTextReaderSetStructuredErrorHandler)                                                      \
    X(xmlOutputBufferCreateFile)                                                                   \
    X(xmlOutputBufferClose)                                                                        \
    X(xmlNewTextWriter)                                                                            \
    X(xmlFreeTextWriter)                                                                           \
    X(xmlTextWriterSetIndent)                                                                      \
    X(xmlTextWriterSetIndentString)                                                                \
    X(xmlTextWriterStartDocument)                                                                  \
    X(xmlTextWriterEndDocument)                                                                    \
    X(xmlTextWriterStartElement)                                                                   \
    X(xmlTextWriterEndElement)                                                                     \
    X(xmlTextWriterWriteAttribute)                                                                 \
    X(xmlTextWriterWriteFormatAttribute)                                                           \
    X(xmlTextWriterWriteString)                                                                    \
    X(xmlURIEscapeStr)

typedef struct sl_xml_api {
#define SL_XML_FIELD(name) __typeof__(name) *name;
    SL_XML_FUNCTIONS(SL_XML_FIELD)
#undef SL_XML_FIELD
    xmlFreeFunc *free_hook; /* libxml2's xmlFree variable */
} sl_xml_api;

/* Loads libxml2 and initializes its parser, once per process whatever
 * the thread: NULL when it is ready, else why not (a static string, such
 * as "feeds and XML reports need libxml2 (libxml2.so.2): ..."). */
const char *sl_xml_load(void);

/* The loaded functions; only after sl_xml_load returned NULL. */
extern sl_xml_api sl_xml;

#ifndef SL_XML_NO_MACROS
#define xmlInitParser (sl_xml.xmlInitParser)
#define xmlCreateMemoryParserCtxt (sl_xml.xmlCreateMemoryParserCtxt)
#define xmlCtxtUseOptions (sl_xml.xmlCtxtUseOptions)
#define xmlParseDocument (sl_xml.xmlParseDocument)
#define xmlFreeParserCtxt (sl_xml.xmlFreeParserCtxt)
#define xmlDocGetRootElement (sl_xml.xmlDocGetRootElement)
#define xmlFreeDoc (sl_xml.xmlFreeDoc)
#define xmlGetProp (sl_xml.xmlGetProp)
#define xmlHasProp (sl_xml.xmlHasProp)
#define xmlHasNsProp (sl_xml.xmlHasNsProp)
#define xmlNodeGetContent (sl_xml.xmlNodeGetContent)
#define xmlNodeListGetString (sl_xml.xmlNodeListGetString)
#define xmlReaderForMemory (sl_xml.xmlReaderForMemory)
#define xmlFreeTextReader (sl_xml.xmlFreeTextReader)
#define xmlTextReaderRead (sl_xml.xmlTextReaderRead)
#define xmlTextReaderNext (sl_xml.xmlTextReaderNext)
#define xmlTextReaderExpand (sl_xml.xmlTextReaderExpand)
#define xmlTextReaderDepth (sl_xml.xmlTextReaderDepth)
#define xmlTextReaderNodeType (sl_xml.xmlTextReaderNodeType)
#define xmlTextReaderCurrentNode (sl_xml.xmlTextReaderCurrentNode)
#define xmlTextReaderSetStructuredErrorHandler (sl_xml.xmlTextReaderSetStructuredErrorHandler)
#define xmlOutputBufferCreateFile (sl_xml.xmlOutputBufferCreateFile)
#define xmlOutputBufferClose (sl_xml.xmlOutputBufferClose)
#define xmlNewTextWriter (sl_xml.xmlNewTextWriter)
#define xmlFreeTextWriter (sl_xml.xmlFreeTextWriter)
#define xmlTextWriterSetIndent (sl_xml.xmlTextWriterSetIndent)
#define xmlTextWriterSetIndentString (sl_xml.xmlTextWriterSetIndentString)
#define xmlTextWriterStartDocument (sl_xml.xmlTextWriterStartDocument)
#define xmlTextWriterEndDocument (sl_xml.xmlTextWriterEndDocument)
#define xmlTextWriterStartElement (sl_xml.xmlTextWriterStartElement)
#define xmlTextWriterEndElement (sl_xml.xmlTextWriterEndElement)
#define xmlTextWriterWriteAttribute (sl_xml.xmlTextWriterWriteAttribute)
#define xmlTextWriterWriteFormatAttribute (sl_xml.xmlTextWriterWriteFormatAttribute)
#define xmlTextWriterWriteString (sl_xml.xmlTextWriterWriteString)
#define xmlURIEscapeStr (sl_xml.xmlURIEscapeStr)
#undef xmlFree
#define xmlFree (*sl_xml.free_hook)
#endif

#endif
