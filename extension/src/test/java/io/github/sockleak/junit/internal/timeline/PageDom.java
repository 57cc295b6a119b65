package io.github.sockleak.junit.internal.timeline;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * A page's document, asked with XPath. The pages are written as XML-compatible HTML, so they parse as XML as they
 * are, which also proves their escaping; the DOM Chromium dumps is HTML serialised, whose few void elements and
 * named entities are made XML first.
 */
final class PageDom {

    private final Document document;

    private PageDom(Document document) {
        this.document = document;
    }

    /** A page as written. */
    static PageDom ofXml(String page) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            return new PageDom(factory.newDocumentBuilder().parse(new InputSource(new StringReader(page))));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new AssertionError("the page is not well-formed: " + e.getMessage() + "\n" + page, e);
        }
    }

    /** The DOM Chromium printed with {@code --dump-dom}. */
    static PageDom ofChromiumDump(String dump) {
        String xml = dump.replaceAll("(?i)<(meta|link|br|hr|img|input)\\b([^>]*?)/?>", "<$1$2/>")
                .replace("&nbsp;", "&#160;");
        return ofXml(xml);
    }

    int count(String xpath) {
        return ((Number) evaluate("count(" + xpath + ")", XPathConstants.NUMBER)).intValue();
    }

    String text(String xpath) {
        return (String) evaluate("string(" + xpath + ")", XPathConstants.STRING);
    }

    List<Element> elements(String xpath) {
        NodeList nodes = (NodeList) evaluate(xpath, XPathConstants.NODESET);
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }

    private Object evaluate(String xpath, javax.xml.namespace.QName type) {
        try {
            return XPathFactory.newInstance().newXPath().evaluate(xpath, document, type);
        } catch (XPathExpressionException e) {
            throw new IllegalArgumentException("not an XPath: " + xpath, e);
        }
    }
}
