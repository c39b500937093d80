import '@support/shared/styles.css';
import './app/app.css';
import { mountApp } from '@support/shared';
import { App } from './app/app';

mountApp(<App />);
